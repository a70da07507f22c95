package dev.swarmcdn.edge.forwarding.cache;

import io.vertx.core.MultiMap;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * The on-disk layout of one cached object: a header (magic, version, key, status, headers, the
 * timing RFC 9111 needs, body length), the body, and a SHA-256 trailer over everything before it.
 * A file whose trailer does not match, or whose size disagrees with its header, is damaged.
 *
 * <pre>
 *   "SWCD" u16:version u32:headerLength header body sha256[32]
 * </pre>
 */
final class DiskRecord {

  static final int MAGIC = 0x53574344; // "SWCD"
  static final short VERSION = 1;
  static final int PREAMBLE = 4 + 2 + 4;
  static final int TRAILER = 32;

  /** What the header says: enough to rebuild a {@link StoredResponse} around a body. */
  record Header(CacheKey key, int status, MultiMap headers, long bodyLength, long requestTime,
      long responseTime, long ageSeconds, long dateMillis, long freshFor, long staleWhileRevalidate,
      long staleIfError, boolean alwaysRevalidate) {

    StoredResponse toStored(PagedBody body) {
      return new StoredResponse(status, headers, headers.get("ETag"), headers.get("Last-Modified"),
          bodyLength, body, requestTime, responseTime, ageSeconds, dateMillis, freshFor,
          staleWhileRevalidate, staleIfError, alwaysRevalidate);
    }

    static Header of(CacheKey key, StoredResponse stored) {
      return new Header(key, stored.status(), stored.headers(), stored.length(), stored.requestTime(),
          stored.responseTime(), stored.ageSeconds(), stored.dateMillis(), stored.freshFor(),
          stored.staleWhileRevalidate(), stored.staleIfError(), stored.alwaysRevalidate());
    }
  }

  private DiskRecord() {}

  /** Preamble and header, ready to write before the body. */
  static ByteBuffer encodeHeader(Header header) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeUTF(header.key().host());
    out.writeUTF(header.key().path());
    out.writeUTF(header.key().query());
    out.writeShort(header.status());
    out.writeShort(header.headers().size());
    for (Map.Entry<String, String> entry : header.headers()) {
      out.writeUTF(entry.getKey());
      out.writeUTF(entry.getValue());
    }
    out.writeLong(header.bodyLength());
    out.writeLong(header.requestTime());
    out.writeLong(header.responseTime());
    out.writeLong(header.ageSeconds());
    out.writeLong(header.dateMillis());
    out.writeLong(header.freshFor());
    out.writeLong(header.staleWhileRevalidate());
    out.writeLong(header.staleIfError());
    out.writeBoolean(header.alwaysRevalidate());
    out.flush();
    byte[] encoded = bytes.toByteArray();
    ByteBuffer buffer = ByteBuffer.allocate(PREAMBLE + encoded.length);
    buffer.putInt(MAGIC).putShort(VERSION).putInt(encoded.length).put(encoded).flip();
    return buffer;
  }

  /** Reads the header after a preamble was checked; throws on anything malformed. */
  static Header decodeHeader(byte[] encoded) throws IOException {
    DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(encoded));
    CacheKey key = new CacheKey(in.readUTF(), in.readUTF(), in.readUTF());
    int status = in.readUnsignedShort();
    int count = in.readUnsignedShort();
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < count; i++) {
      headers.add(in.readUTF(), in.readUTF());
    }
    Header header = new Header(key, status, headers, in.readLong(), in.readLong(), in.readLong(),
        in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readBoolean());
    if (header.bodyLength() < 0 || in.available() != 0) {
      throw new IOException("header has trailing bytes or a negative body length");
    }
    return header;
  }
}
