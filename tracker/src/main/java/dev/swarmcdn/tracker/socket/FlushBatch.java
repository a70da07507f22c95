package dev.swarmcdn.tracker.socket;

import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayList;

/**
 * Flushes every socket written to since the last batch, once per pass of an event loop over its
 * queued tasks. Most of a tracker's time goes into the system call each flush is: a peer that
 * gets several messages in one pass (the answers to its offers, say) now gets them in one, and
 * none waits longer than the tasks already queued. One batch per event-loop thread, used only there.
 */
final class FlushBatch implements Runnable {

  private static final FastThreadLocal<FlushBatch> OF_THIS_LOOP = new FastThreadLocal<>() {
    @Override
    protected FlushBatch initialValue() {
      return new FlushBatch();
    }
  };

  private final ArrayList<PeerSocket> written = new ArrayList<>();
  private boolean scheduled;

  private FlushBatch() {}

  /** Flushes {@code socket} with this pass's batch; on its event loop. */
  static void add(PeerSocket socket) {
    OF_THIS_LOOP.get().schedule(socket);
  }

  private void schedule(PeerSocket socket) {
    if (socket.markWritten()) {
      written.add(socket);
    }
    if (!scheduled) {
      scheduled = true;
      // At the tail of the loop's queue: after every write queued before it.
      socket.eventLoop().execute(this);
    }
  }

  @Override
  public void run() {
    scheduled = false;
    for (int i = 0; i < written.size(); i++) {
      written.get(i).flushWritten();
    }
    written.clear();
  }
}
