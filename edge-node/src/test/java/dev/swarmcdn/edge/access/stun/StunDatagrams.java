package dev.swarmcdn.edge.access.stun;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;

/**
 * Builds STUN datagrams byte by byte for the tests, independently of {@link StunEncoder}, so an
 * encoder and parser that agreed on a mistake would still be caught.
 */
final class StunDatagrams {

  private final int type;
  private final byte[] transactionId;
  private final List<byte[]> attributes = new ArrayList<>();
  private boolean fingerprint;

  private StunDatagrams(int type, byte[] transactionId) {
    this.type = type;
    this.transactionId = transactionId.clone();
  }

  static StunDatagrams message(int type, byte[] transactionId) {
    return new StunDatagrams(type, transactionId);
  }

  static byte[] bindingRequest(byte[] transactionId) {
    return message(0x0001, transactionId).build();
  }

  static byte[] transactionId(Random random) {
    byte[] id = new byte[12];
    random.nextBytes(id);
    return id;
  }

  /** Appends an attribute with its value zero-padded to 4 bytes. */
  StunDatagrams attribute(int attributeType, byte[] value) {
    ByteBuffer attribute = ByteBuffer.allocate(4 + ((value.length + 3) & ~3));
    attribute.putShort((short) attributeType).putShort((short) value.length).put(value);
    attributes.add(attribute.array());
    return this;
  }

  StunDatagrams fingerprint() {
    this.fingerprint = true;
    return this;
  }

  byte[] build() {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    attributes.forEach(body::writeBytes);
    int length = body.size() + (fingerprint ? 8 : 0);
    ByteBuffer out = ByteBuffer.allocate(20 + length);
    out.putShort((short) type).putShort((short) length).putInt(0x2112A442).put(transactionId);
    out.put(body.toByteArray());
    if (fingerprint) {
      CRC32 crc = new CRC32();
      crc.update(out.array(), 0, out.position());
      out.putShort((short) 0x8028).putShort((short) 4).putInt((int) crc.getValue() ^ 0x5354554e);
    }
    return out.array();
  }

  /** Reads a 16-bit big-endian field. */
  static int u16(byte[] bytes, int index) {
    return ((bytes[index] & 0xFF) << 8) | (bytes[index + 1] & 0xFF);
  }

  /** True if {@code datagram} ends with a FINGERPRINT that matches the bytes before it. */
  static boolean fingerprintValid(byte[] datagram) {
    int at = datagram.length - 8;
    if (at < 20 || u16(datagram, at) != 0x8028 || u16(datagram, at + 2) != 4) {
      return false;
    }
    CRC32 crc = new CRC32();
    crc.update(datagram, 0, at);
    return ByteBuffer.wrap(datagram, at + 4, 4).getInt() == ((int) crc.getValue() ^ 0x5354554e);
  }
}
