package dev.swarmcdn.edge.access.stun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The STUN port takes datagrams from anyone. {@link StunParser#parse} answers every datagram with a
 * message or a reason, never an exception; for a Binding request it accepts, the answer the handler
 * would send is itself a well-formed STUN message with the request's transaction id, fingerprinted
 * exactly when the request was, and a success names the sender.
 */
class StunParserFuzzTest {

  private static final StunEncoder ENCODER = new StunEncoder("swarmcdn-edge fuzz");
  private static final InetSocketAddress[] SENDERS = {
      new InetSocketAddress("192.0.2.7", 54321), new InetSocketAddress("2001:db8::7", 3478)};

  @FuzzTest
  void parse(byte[] datagram) {
    ParseResult result = StunParser.parse(datagram);
    if (result instanceof ParseResult.Rejected rejected) {
      assertNotNull(rejected.reason());
      return;
    }
    StunMessage request = ((ParseResult.Parsed) result).message();
    if (request.messageClass() != StunProtocol.CLASS_REQUEST || request.method() != StunProtocol.METHOD_BINDING) {
      return;
    }
    List<Integer> unknown = request.unknownComprehensionRequired();
    for (InetSocketAddress sender : SENDERS) {
      ByteBuf out = unknown.isEmpty()
          ? ENCODER.bindingSuccess(UnpooledByteBufAllocator.DEFAULT, request, sender)
          : ENCODER.unknownAttributes(UnpooledByteBufAllocator.DEFAULT, request, unknown);
      byte[] answer = ByteBufUtil.getBytes(out);
      out.release();
      assertTrue(StunParser.parse(answer) instanceof ParseResult.Parsed, "our own answer parses");
      StunMessage response = ((ParseResult.Parsed) StunParser.parse(answer)).message();
      assertArrayEquals(request.transactionId(), response.transactionId());
      assertEquals(request.hasFingerprint(), response.hasFingerprint());
      if (unknown.isEmpty()) {
        byte[] mapped = response.attribute(StunProtocol.ATTR_XOR_MAPPED_ADDRESS).orElseThrow().value();
        assertEquals(sender, XorMappedAddress.decode(mapped, request.transactionId()).orElseThrow());
      }
    }
  }
}
