package dev.swarmcdn.edge.forwarding.fill;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends a byte range of a body to one client as it becomes available, honouring the client's
 * back-pressure: while the connection's write queue is full it waits for drain, and the bytes wait
 * in the body, not in the socket buffer.
 *
 * <p>Runs on the response's context only. Owns its reader's hold on the body, released once after
 * the last write was flushed or the client went away; tells the reader as each write is flushed,
 * so a pass-through can drop what was sent. If the body fails before the range is sent, the
 * connection is reset: the client sees an incomplete response, never a short one passed as whole.
 */
public final class BodyStreamer {

  /**
   * Most bytes handed to the connection in one write: the pages go out as one gathering write, so
   * a whole segment costs a few system calls, not one per page.
   */
  private static final int MAX_WRITE = 4 * 1024 * 1024;
  /** Above this many pages a composite buffer would copy them together: never let it. */
  private static final int MAX_COMPONENTS = 1024;

  private final Context context;
  private final HttpServerResponse response;
  private final BodyProgress progress;
  private final long end;
  private final Runnable wake;
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final AtomicBoolean finished = new AtomicBoolean();
  private long position;

  /**
   * @param from  first byte to send
   * @param to    one past the last byte to send, or -1 for "to the end, whatever the length"
   */
  public BodyStreamer(Context context, HttpServerResponse response, BodyProgress progress, long from,
      long to) {
    this.context = context;
    this.response = response;
    this.progress = progress;
    this.position = from;
    this.end = to;
    this.wake = () -> {
      if (scheduled.compareAndSet(false, true)) {
        context.runOnContext(ignored -> {
          scheduled.set(false);
          pump();
        });
      }
    };
  }

  /** Starts sending; the caller has taken a body reference that this streamer now owns. */
  public void start() {
    response.closeHandler(ignored -> finish());
    progress.subscribe(wake);
    progress.sent(position);
    pump();
  }

  private void pump() {
    if (finished.get()) {
      return;
    }
    long available = progress.body().published();
    long until = end >= 0 ? Math.min(end, available) : available;
    while (position < until) {
      if (response.writeQueueFull()) {
        response.drainHandler(ignored -> pump());
        return;
      }
      long writeEnd = Math.min(until, position + MAX_WRITE);
      CompositeByteBuf pages = Unpooled.compositeBuffer(MAX_COMPONENTS);
      while (position < writeEnd) {
        ByteBuf slice = progress.body().slice(position, (int) Math.min(Integer.MAX_VALUE, writeEnd - position));
        position += slice.readableBytes();
        pages.addComponent(true, slice);
      }
      // Vert.x writes direct buffers as unreleasable views: the pages stay ours until finish().
      if (whole()) {
        // The last bytes and the end in one write: a small object costs one system call.
        response.end(BufferInternal.buffer(pages)).onComplete(ignored -> finish());
        return;
      }
      long written = position;
      response.write(BufferInternal.buffer(pages)).onSuccess(ignored -> progress.sent(written));
    }
    if (whole()) {
      response.end().onComplete(ignored -> finish());
      return;
    }
    if (progress.failure() != null) {
      response.reset();
      finish();
    }
  }

  private boolean whole() {
    return end >= 0 ? position >= end : progress.complete() && position >= progress.body().published();
  }

  private void finish() {
    if (finished.compareAndSet(false, true)) {
      progress.unsubscribe(wake);
      progress.release();
    }
  }
}
