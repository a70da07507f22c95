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
 * <p>Fair to the other connections of its event loop: it hands over at most {@value #PIECE} bytes
 * per turn and queues its next turn behind the loop's other tasks, so the bodies being sent take
 * turns instead of one connection's whole body going before the next one's first piece. A body
 * longer than a piece is sent only while it holds one of the loop's {@link SendSlots}: until then
 * it waits with its head sent, and it gives the slot back at its end.
 *
 * <p>Runs on the response's context only. Owns its reader's hold on the body, released once after
 * the last write was flushed or the client went away; tells the reader as each write is flushed,
 * so a pass-through can drop what was sent. If the body fails before the range is sent, the
 * connection is reset: the client sees an incomplete response, never a short one passed as whole.
 */
public final class BodyStreamer {

  /**
   * Most bytes handed to the connection in one turn: one page of a {@link PagedBody} of known
   * length, a few system calls' worth, small enough that a turn does not hold the loop for long.
   */
  static final int PIECE = 256 * 1024;

  private final Context context;
  private final HttpServerResponse response;
  private final BodyProgress progress;
  private final long end;
  private final Runnable wake;
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final AtomicBoolean finished = new AtomicBoolean();
  private final SendSlots slots;
  private final Slot slot = new Slot();
  private long position;

  /**
   * @param from  first byte to send
   * @param to    one past the last byte to send, or -1 for "to the end, whatever the length"
   */
  public BodyStreamer(Context context, SendSlots slots, HttpServerResponse response,
      BodyProgress progress, long from, long to) {
    this.context = context;
    this.slots = slots;
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

  /** One turn: at most one piece, then the next turn queued behind the loop's other tasks. */
  private void pump() {
    if (finished.get()) {
      return;
    }
    long available = progress.body().published();
    long until = end >= 0 ? Math.min(end, available) : available;
    if (position < until) {
      if (!slot.maySend(until)) {
        writeHeadOnce();
        return;
      }
      if (response.writeQueueFull()) {
        slot.waiting();
        response.drainHandler(ignored -> pump());
        return;
      }
      slot.sending();
      long pieceEnd = Math.min(until, position + PIECE);
      CompositeByteBuf pages = Unpooled.compositeBuffer();
      while (position < pieceEnd) {
        ByteBuf slice = progress.body().slice(position, (int) (pieceEnd - position));
        position += slice.readableBytes();
        pages.addComponent(true, slice);
      }
      // Vert.x writes direct buffers as unreleasable views: the pages stay ours until finish().
      if (whole()) {
        // The last bytes and the end in one write: a small object costs one system call. The slot
        // is kept until the client took them (handed on at once, the herd's median and the 2 MB
        // tail were later in edge-bench), but as waiting: a client that stalls on its last bytes
        // is let go of it like any other.
        slot.waiting();
        response.end(BufferInternal.buffer(pages)).onComplete(ignored -> finish());
        return;
      }
      long written = position;
      response.write(BufferInternal.buffer(pages)).onSuccess(ignored -> progress.sent(written));
      if (position < until) {
        wake.run();
      }
      return;
    }
    if (whole()) {
      slot.waiting();
      response.end().onComplete(ignored -> finish());
      return;
    }
    if (progress.failure() != null) {
      response.reset();
      finish();
      return;
    }
    slot.waiting();
    // Nothing of the body yet (a fill still waiting for it): the status and headers go now, so
    // every waiter learns them when the upstream answered, not when its first piece is sent.
    writeHeadOnce();
  }

  private void writeHeadOnce() {
    if (!response.headWritten()) {
      response.writeHead();
    }
  }

  private boolean whole() {
    return end >= 0 ? position >= end : progress.complete() && position >= progress.body().published();
  }

  private void finish() {
    if (finished.compareAndSet(false, true)) {
      slot.giveBack();
      progress.unsubscribe(wake);
      progress.release();
    }
  }

  /** This body's place in its loop's {@link SendSlots}; touched on the response's context only. */
  private final class Slot implements SendSlots.Holder {
    private static final int NONE = 0;
    private static final int QUEUED = 1;
    private static final int HOLDING = 2;
    /** Never needed one, or let go of it: sends without. */
    private static final int FREE = 3;

    private int state = NONE;
    private long waitingSince;
    /** The loop's slots, looked up only by a body that needs one: playlists never do. */
    private SendSlots.Loop loop;

    /** Whether the bytes up to {@code until} may go now; asks for a slot the first time. */
    boolean maySend(long until) {
      if (state == NONE) {
        if (fitsOnePiece(until)) {
          state = FREE;
        } else {
          loop = slots.of(context);
          state = loop.take(this) ? HOLDING : QUEUED;
        }
      }
      return state != QUEUED;
    }

    /** All that is left goes in one piece: a small body takes no slot. */
    private boolean fitsOnePiece(long until) {
      long last = end >= 0 ? end : progress.complete() ? until : Long.MAX_VALUE;
      return last - position <= PIECE;
    }

    void sending() {
      waitingSince = 0;
    }

    void waiting() {
      if (state == HOLDING && waitingSince == 0) {
        waitingSince = System.nanoTime();
      }
    }

    void giveBack() {
      if (state == HOLDING || state == QUEUED) {
        state = FREE;
        loop.giveBack(this);
      }
    }

    @Override
    public void granted() {
      state = HOLDING;
      wake.run();
    }

    @Override
    public long waitingSince() {
      return waitingSince;
    }

    @Override
    public void letGo() {
      state = FREE;
    }
  }
}
