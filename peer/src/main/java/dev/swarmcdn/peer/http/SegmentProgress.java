package dev.swarmcdn.peer.http;

/** Bytes of an HTTP transfer as they arrive. */
@FunctionalInterface
public interface SegmentProgress {
  /** @param received bytes of this answer so far; @param expected bytes it should bring, or -1 */
  void progress(long received, long expected);
}
