package dev.swarmcdn.edge.access.stun;

import static dev.swarmcdn.edge.access.stun.StunDatagrams.bindingRequest;
import static dev.swarmcdn.edge.access.stun.StunDatagrams.message;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The parser alone: what it accepts, why it rejects, and that no input makes it throw. */
class StunParserTest {

  private static final byte[] ID = HexFormat.of().parseHex("b7e7a701bc34d686fa87dfae");

  /** RFC 5769 section 2.1's sample request, with its SOFTWARE, credentials and FINGERPRINT. */
  /** RFC 5769 section 2.1's sample request: SOFTWARE, ICE attributes, credentials, FINGERPRINT. */
  private static final String RFC5769_REQUEST = "000100582112a442b7e7a701bc34d686fa87dfae"
      + "80220010" + "5354554e20746573742063 6c69656e74"
      + "00240004" + "6e0001ff"
      + "80290008" + "932ff9b151263b36"
      + "00060009" + "6576746a3a68367659202020"
      + "00080014" + "9aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a2"
      + "80280004" + "e57a3bcf";

  @Test
  void rfc5769SampleRequestParsesWithItsFingerprintChecked() {
    byte[] bytes = HexFormat.of().parseHex(RFC5769_REQUEST.replace(" ", ""));
    StunMessage message = parsed(bytes);
    assertEquals(StunProtocol.BINDING_REQUEST, message.type());
    assertTrue(message.isBindingRequest());
    assertArrayEquals(ID, message.transactionId());
    assertEquals(List.of(0x8022, 0x0024, 0x8029, 0x0006, 0x0008, 0x8028),
        message.attributes().stream().map(StunAttribute::type).toList());
    assertEquals("STUN test client", new String(message.attribute(0x8022).orElseThrow().value()));
    assertTrue(message.hasFingerprint());
    // PRIORITY (0x0024, from ICE) is comprehension-required and unknown to a plain STUN server.
    assertEquals(List.of(0x0024), message.unknownComprehensionRequired());

    bytes[bytes.length - 1] ^= 1;
    assertEquals(DropReason.BAD_FINGERPRINT, rejected(bytes));
  }

  @Test
  void plainBindingRequest() {
    StunMessage message = parsed(bindingRequest(ID));
    assertEquals(StunProtocol.METHOD_BINDING, message.method());
    assertEquals(StunProtocol.CLASS_REQUEST, message.messageClass());
    assertTrue(message.attributes().isEmpty());
    assertFalse(message.hasFingerprint());
    assertTrue(message.unknownComprehensionRequired().isEmpty());
  }

  @Test
  void methodAndClassAreUnpickedFromTheType() {
    assertEquals(StunProtocol.CLASS_SUCCESS, parsed(message(0x0101, ID).build()).messageClass());
    assertEquals(StunProtocol.CLASS_ERROR, parsed(message(0x0111, ID).build()).messageClass());
    assertEquals(StunProtocol.CLASS_INDICATION, parsed(message(0x0011, ID).build()).messageClass());
    StunMessage refresh = parsed(message(0x0004, ID).build());
    assertEquals(0x004, refresh.method());
    // the highest method, 0xFFF, as a success response: every method bit set, C1 set, C0 clear
    StunMessage high = parsed(message(0x3FEF, ID).build());
    assertEquals(0xFFF, high.method());
    assertEquals(StunProtocol.CLASS_SUCCESS, high.messageClass());
  }

  @Test
  void attributesArePaddedToFourBytes() {
    byte[] bytes = message(0x0001, ID).attribute(0x8022, new byte[] {'a'})
        .attribute(0x8023, new byte[] {1, 2, 3, 4, 5}).attribute(0x8024, new byte[0]).build();
    assertEquals(20 + 8 + 12 + 4, bytes.length);
    StunMessage message = parsed(bytes);
    assertArrayEquals(new byte[] {'a'}, message.attribute(0x8022).orElseThrow().value());
    assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, message.attribute(0x8023).orElseThrow().value());
    assertEquals(0, message.attribute(0x8024).orElseThrow().length());
  }

  @Test
  void attributesAfterMessageIntegrityCannotFailTheRequest() {
    StunMessage message = parsed(message(0x0001, ID).attribute(0x7001, new byte[4])
        .attribute(StunProtocol.ATTR_MESSAGE_INTEGRITY, new byte[20]).attribute(0x7002, new byte[4]).build());
    assertEquals(List.of(0x7001), message.unknownComprehensionRequired());
  }

  @Test
  void readsOnlyTheReadableBytesAndLeavesTheBufferAlone() {
    byte[] request = bindingRequest(ID);
    ByteBuf buffer = Unpooled.buffer();
    buffer.writeBytes(new byte[] {9, 9, 9}).writeBytes(request);
    buffer.readerIndex(3);
    assertInstanceOf(ParseResult.Parsed.class, StunParser.parse(buffer));
    assertEquals(3, buffer.readerIndex());
    assertEquals(3 + request.length, buffer.writerIndex());
  }

  @Test
  void rejectionsSayWhy() {
    byte[] valid = bindingRequest(ID);
    assertEquals(DropReason.TRUNCATED, rejected(new byte[0]));
    assertEquals(DropReason.TRUNCATED, rejected(Arrays.copyOf(valid, 19)));

    byte[] leadingBits = valid.clone();
    leadingBits[0] |= 0x40;
    assertEquals(DropReason.NOT_STUN, rejected(leadingBits));

    byte[] cookie = valid.clone();
    cookie[7] = 0x43;
    assertEquals(DropReason.BAD_COOKIE, rejected(cookie));

    byte[] unaligned = Arrays.copyOf(valid, 23);
    unaligned[3] = 3;
    assertEquals(DropReason.UNALIGNED_LENGTH, rejected(unaligned));

    assertEquals(DropReason.BAD_LENGTH, rejected(Arrays.copyOf(valid, 24)), "4 bytes beyond the length");
    byte[] shortOfLength = valid.clone();
    shortOfLength[3] = 4;
    assertEquals(DropReason.BAD_LENGTH, rejected(shortOfLength), "length says 4 more than there are");

    byte[] overrun = message(0x0001, ID).attribute(0x8022, new byte[4]).build();
    overrun[23] = 5; // 5 bytes pad to 8, only 4 there
    assertEquals(DropReason.ATTRIBUTE_OVERRUN, rejected(overrun));

    byte[] fingerprintTooLong = message(0x0001, ID).attribute(0x8028, new byte[8]).build();
    assertEquals(DropReason.BAD_FINGERPRINT, rejected(fingerprintTooLong));
    byte[] fingerprintFirst = message(0x0001, ID).fingerprint().build();
    byte[] withMore = Arrays.copyOf(fingerprintFirst, fingerprintFirst.length + 4);
    withMore[3] += 4;
    withMore[28] = (byte) 0x80;
    withMore[29] = 0x22;
    assertEquals(DropReason.BAD_FINGERPRINT, rejected(withMore));
  }

  @Test
  void parserNeverThrowsOnMutatedOrRandomInput() {
    StunFuzz fuzz = new StunFuzz(new Random(5769));
    Map<DropReason, Integer> reasons = new EnumMap<>(DropReason.class);
    int accepted = 0;
    for (int i = 0; i < StunFuzz.ROUNDS; i++) {
      byte[] input = fuzz.next();
      ParseResult result;
      try {
        result = StunParser.parse(input);
      } catch (RuntimeException e) {
        throw new AssertionError("parser threw on " + HexFormat.of().formatHex(input), e);
      }
      if (result instanceof ParseResult.Rejected rejected) {
        reasons.merge(rejected.reason(), 1, Integer::sum);
      } else if (result instanceof ParseResult.Parsed ok) {
        accepted++;
        assertWellFormed(input, ok.message());
      } else {
        fail("neither parsed nor rejected: " + result);
      }
    }
    assertTrue(accepted > 100, "mutations keep some inputs valid: " + accepted);
    for (DropReason reason : List.of(DropReason.TRUNCATED, DropReason.NOT_STUN, DropReason.BAD_COOKIE,
        DropReason.UNALIGNED_LENGTH, DropReason.BAD_LENGTH, DropReason.ATTRIBUTE_OVERRUN,
        DropReason.BAD_FINGERPRINT)) {
      assertTrue(reasons.getOrDefault(reason, 0) > 0, "fuzzing reached " + reason + ": " + reasons);
    }
  }

  /** An accepted input must be exactly what its parse describes, byte for byte in length. */
  private static void assertWellFormed(byte[] input, StunMessage message) {
    int length = 20;
    for (StunAttribute attribute : message.attributes()) {
      length += 4 + StunProtocol.padded(attribute.length());
    }
    assertEquals(input.length, length, () -> "accepted " + HexFormat.of().formatHex(input));
    assertArrayEquals(Arrays.copyOfRange(input, 8, 20), message.transactionId());
    if (message.hasFingerprint()) {
      assertTrue(StunDatagrams.fingerprintValid(input), () -> "bad FINGERPRINT accepted: "
          + HexFormat.of().formatHex(input));
    }
  }

  private static StunMessage parsed(byte[] bytes) {
    ParseResult result = StunParser.parse(bytes);
    assertInstanceOf(ParseResult.Parsed.class, result, () -> "rejected: " + result);
    return ((ParseResult.Parsed) result).message();
  }

  private static DropReason rejected(byte[] bytes) {
    ParseResult result = StunParser.parse(bytes);
    assertInstanceOf(ParseResult.Rejected.class, result, () -> "accepted: " + result);
    return ((ParseResult.Rejected) result).reason();
  }
}
