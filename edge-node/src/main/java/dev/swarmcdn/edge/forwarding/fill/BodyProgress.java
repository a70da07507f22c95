package dev.swarmcdn.edge.forwarding.fill;

import dev.swarmcdn.edge.forwarding.cache.PagedBody;

/**
 * One reader's view of how far a body has been written: a fill still streaming in from upstream,
 * or a stored body that is complete. {@link BodyStreamer} sends from either the same way.
 */
public interface BodyProgress {

  PagedBody body();

  /** True once every byte is in; {@link PagedBody#published()} is then the full length. */
  boolean complete();

  /** Why the body will never complete (upstream failure, truncation), or null. */
  Throwable failure();

  /** Calls {@code wake} (from any thread) whenever more bytes arrive or the body ends. */
  void subscribe(Runnable wake);

  void unsubscribe(Runnable wake);

  /**
   * The bytes before {@code position} were written to the client, or are not wanted: a
   * pass-through may drop them.
   */
  default void sent(long position) { }

  /** Gives up this reader's hold on the body: its reference, and its place in a pass-through. */
  void release();

  /** A body that is already whole; the caller's reference on it goes to the returned reader. */
  static BodyProgress complete(PagedBody body) {
    return new BodyProgress() {
      @Override public PagedBody body() {
        return body;
      }

      @Override public boolean complete() {
        return true;
      }

      @Override public Throwable failure() {
        return null;
      }

      @Override public void subscribe(Runnable wake) { }

      @Override public void unsubscribe(Runnable wake) { }

      @Override public void release() {
        body.release();
      }
    };
  }
}
