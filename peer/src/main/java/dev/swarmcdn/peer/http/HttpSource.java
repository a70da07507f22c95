package dev.swarmcdn.peer.http;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * HTTP for one engine: small documents (playlists, manifests, the key) whole, and segment bytes
 * whole or from a byte offset (a {@code Range} request, when a peer delivered the start), read as
 * they arrive so progress and timing are known. Results complete on the engine's thread.
 */
public interface HttpSource {
  /** Larger answers than this are refused: no segment or playlist is near it. */
  long MAX_BODY_BYTES = 64L * 1024 * 1024;

  /** A whole document: its body on 200, an {@link HttpError} otherwise. */
  Future<Buffer> get(String url);

  /**
   * Segment bytes from {@code from} to the end: a {@link HttpResult}, or an {@link HttpError}
   * ({@link UnusableRange} for an answer that cannot be placed after the bytes held).
   *
   * @param knownSize  the segment's length as known so far (from the peer that sent the start), or
   *                   -1: for a ranged answer that does not say it
   */
  Transfer fetchSegment(String url, long from, long knownSize, SegmentProgress progress);

  void close();

  /** A running segment fetch; {@link #abort()} ends it with a failure. */
  interface Transfer {
    Future<HttpResult> result();

    void abort();
  }
}
