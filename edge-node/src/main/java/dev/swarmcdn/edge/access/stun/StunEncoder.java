package dev.swarmcdn.edge.access.stun;

import static dev.swarmcdn.edge.access.stun.StunProtocol.ATTRIBUTE_HEADER_BYTES;
import static dev.swarmcdn.edge.access.stun.StunProtocol.HEADER_BYTES;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes this server's two answers to a Binding request. Each echoes the request's transaction id,
 * names the software (useful when debugging a viewer's ICE trace) and is fingerprinted exactly when
 * the request was, since a client that multiplexes STUN with other traffic relies on that.
 */
public final class StunEncoder {

  /** RFC 8489 14.14: fewer than 128 characters; 763 bytes is the hard limit we stay well under. */
  private static final int MAX_SOFTWARE_CHARS = 127;
  private static final int FINGERPRINT_ATTRIBUTE_BYTES = ATTRIBUTE_HEADER_BYTES + 4;

  private final byte[] software;

  /** @param software the SOFTWARE attribute's text, e.g. {@code swarmcdn-edge}; null or empty: none */
  public StunEncoder(String software) {
    if (software != null && software.length() > MAX_SOFTWARE_CHARS) {
      throw new IllegalArgumentException("SOFTWARE must be under 128 characters");
    }
    this.software = software == null ? new byte[0] : software.getBytes(StandardCharsets.UTF_8);
  }

  /** Binding success response telling the client the address its request came from. */
  public ByteBuf bindingSuccess(ByteBufAllocator alloc, StunMessage request, InetSocketAddress sender) {
    byte[] transactionId = request.transactionId();
    ByteBuf out = header(alloc, StunProtocol.BINDING_SUCCESS, transactionId);
    attribute(out, StunProtocol.ATTR_XOR_MAPPED_ADDRESS, XorMappedAddress.encode(sender, transactionId));
    return finish(out, request.hasFingerprint());
  }

  /** Binding error response 420 listing the comprehension-required attributes we do not know. */
  public ByteBuf unknownAttributes(ByteBufAllocator alloc, StunMessage request, List<Integer> unknownTypes) {
    ByteBuf out = header(alloc, StunProtocol.BINDING_ERROR, request.transactionId());
    attribute(out, StunProtocol.ATTR_ERROR_CODE, errorCode(StunProtocol.ERROR_UNKNOWN_ATTRIBUTE, "Unknown Attribute"));
    byte[] types = new byte[2 * unknownTypes.size()];
    for (int i = 0; i < unknownTypes.size(); i++) {
      types[2 * i] = (byte) (unknownTypes.get(i) >>> 8);
      types[2 * i + 1] = (byte) (int) unknownTypes.get(i);
    }
    attribute(out, StunProtocol.ATTR_UNKNOWN_ATTRIBUTES, types);
    return finish(out, request.hasFingerprint());
  }

  private static ByteBuf header(ByteBufAllocator alloc, int type, byte[] transactionId) {
    ByteBuf out = alloc.buffer(128);
    out.writeShort(type);
    out.writeShort(0); // set by finish() once the attributes are written
    out.writeInt(StunProtocol.MAGIC_COOKIE);
    out.writeBytes(transactionId);
    return out;
  }

  private ByteBuf finish(ByteBuf out, boolean fingerprint) {
    if (software.length > 0) {
      attribute(out, StunProtocol.ATTR_SOFTWARE, software);
    }
    if (!fingerprint) {
      out.setShort(2, out.writerIndex() - HEADER_BYTES);
      return out;
    }
    // The CRC covers a header whose length already counts the FINGERPRINT attribute itself.
    out.setShort(2, out.writerIndex() - HEADER_BYTES + FINGERPRINT_ATTRIBUTE_BYTES);
    int crc = (int) StunParser.crc32(out, 0, out.writerIndex()) ^ StunProtocol.FINGERPRINT_XOR;
    out.writeShort(StunProtocol.ATTR_FINGERPRINT);
    out.writeShort(4);
    out.writeInt(crc);
    return out;
  }

  private static void attribute(ByteBuf out, int type, byte[] value) {
    out.writeShort(type);
    out.writeShort(value.length);
    out.writeBytes(value);
    out.writeZero(StunProtocol.padded(value.length) - value.length);
  }

  /** ERROR-CODE value: 21 reserved bits, the hundreds as a 3-bit class, the rest as a number. */
  private static byte[] errorCode(int code, String reason) {
    byte[] phrase = reason.getBytes(StandardCharsets.UTF_8);
    byte[] value = new byte[4 + phrase.length];
    value[2] = (byte) (code / 100);
    value[3] = (byte) (code % 100);
    System.arraycopy(phrase, 0, value, 4, phrase.length);
    return value;
  }
}
