package dev.swarmcdn.edge.forwarding.cache;

import io.netty.buffer.ByteBuf;

/** Copies of bodies, for the edge's own reading of small objects (manifests). */
public final class PagedBodies {

  private PagedBodies() {}

  /** The first {@code length} bytes; the caller holds a reference on the body meanwhile. */
  public static byte[] copy(PagedBody body, long length) {
    if (length > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("too large to copy: " + length);
    }
    byte[] bytes = new byte[(int) length];
    int at = 0;
    while (at < bytes.length) {
      ByteBuf page = body.slice(at, bytes.length - at);
      int n = page.readableBytes();
      page.getBytes(page.readerIndex(), bytes, at, n);
      at += n;
    }
    return bytes;
  }
}
