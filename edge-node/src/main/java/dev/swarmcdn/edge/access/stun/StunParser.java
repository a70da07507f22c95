package dev.swarmcdn.edge.access.stun;

import static dev.swarmcdn.edge.access.stun.StunProtocol.ATTRIBUTE_HEADER_BYTES;
import static dev.swarmcdn.edge.access.stun.StunProtocol.ATTR_FINGERPRINT;
import static dev.swarmcdn.edge.access.stun.StunProtocol.HEADER_BYTES;
import static dev.swarmcdn.edge.access.stun.StunProtocol.MAGIC_COOKIE;
import static dev.swarmcdn.edge.access.stun.StunProtocol.TRANSACTION_ID_BYTES;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Bytes to {@link StunMessage}, strictly: whatever does not follow RFC 8489's framing to the byte is
 * rejected with a reason rather than guessed at. Every read is bounds-checked first, so no input
 * makes it throw; it reads with absolute indices and leaves the buffer's indices alone.
 */
public final class StunParser {

  private StunParser() {
  }

  public static ParseResult parse(byte[] datagram) {
    return parse(Unpooled.wrappedBuffer(datagram));
  }

  /** Parses the readable bytes of {@code datagram}, which must hold exactly one datagram. */
  public static ParseResult parse(ByteBuf datagram) {
    int start = datagram.readerIndex();
    int size = datagram.readableBytes();
    if (size < HEADER_BYTES) {
      return new ParseResult.Rejected(DropReason.TRUNCATED);
    }
    int type = datagram.getUnsignedShort(start);
    if ((type & 0xC000) != 0) {
      return new ParseResult.Rejected(DropReason.NOT_STUN);
    }
    if (datagram.getInt(start + 4) != MAGIC_COOKIE) {
      return new ParseResult.Rejected(DropReason.BAD_COOKIE);
    }
    int length = datagram.getUnsignedShort(start + 2);
    if ((length & 3) != 0) {
      return new ParseResult.Rejected(DropReason.UNALIGNED_LENGTH);
    }
    if (length != size - HEADER_BYTES) {
      return new ParseResult.Rejected(DropReason.BAD_LENGTH);
    }
    byte[] transactionId = new byte[TRANSACTION_ID_BYTES];
    datagram.getBytes(start + 8, transactionId);

    List<StunAttribute> attributes = new ArrayList<>();
    int end = start + size;
    int position = start + HEADER_BYTES;
    while (position < end) {
      if (end - position < ATTRIBUTE_HEADER_BYTES) {
        return new ParseResult.Rejected(DropReason.ATTRIBUTE_OVERRUN);
      }
      int attributeType = datagram.getUnsignedShort(position);
      int valueLength = datagram.getUnsignedShort(position + 2);
      int valueStart = position + ATTRIBUTE_HEADER_BYTES;
      if (StunProtocol.padded(valueLength) > end - valueStart) {
        return new ParseResult.Rejected(DropReason.ATTRIBUTE_OVERRUN);
      }
      if (attributeType == ATTR_FINGERPRINT
          && !fingerprintValid(datagram, start, position, valueLength, end)) {
        return new ParseResult.Rejected(DropReason.BAD_FINGERPRINT);
      }
      byte[] value = new byte[valueLength];
      datagram.getBytes(valueStart, value);
      attributes.add(new StunAttribute(attributeType, value));
      position = valueStart + StunProtocol.padded(valueLength);
    }
    return new ParseResult.Parsed(new StunMessage(type, transactionId, attributes));
  }

  /**
   * FINGERPRINT must be the last attribute (RFC 8489 14.7), so the header's length already counts
   * it and the CRC covers exactly the bytes before it.
   */
  private static boolean fingerprintValid(ByteBuf datagram, int start, int attributeStart,
      int valueLength, int end) {
    if (valueLength != 4 || attributeStart + ATTRIBUTE_HEADER_BYTES + 4 != end) {
      return false;
    }
    int expected = (int) crc32(datagram, start, attributeStart - start) ^ StunProtocol.FINGERPRINT_XOR;
    return datagram.getInt(attributeStart + ATTRIBUTE_HEADER_BYTES) == expected;
  }

  static long crc32(ByteBuf buffer, int index, int length) {
    CRC32 crc = new CRC32();
    crc.update(buffer.nioBuffer(index, length));
    return crc.getValue();
  }
}
