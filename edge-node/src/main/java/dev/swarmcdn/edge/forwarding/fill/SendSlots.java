package dev.swarmcdn.edge.forwarding.fill;

import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.internal.ContextInternal;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many large bodies each event loop sends at once. A body longer than one piece takes a slot
 * of its connection's loop before its first piece and keeps it to its end; when the loop has none
 * free, the body waits, its status and headers already sent, and waiting bodies are let in in the
 * order they asked.
 *
 * <p>Why not every body at once: a player can use a segment only once all of it is there. When
 * the loop, or a path its connections share, is the bottleneck, a piece to every body in turn
 * finishes them all together near the end; a few at a time finish in the order they came, the
 * first ones early and the last no later. 200 viewers missing the same segment at once, or 64
 * connections asking for segments as fast as they can, then wait less at the median and in the
 * tail (docs/BENCHMARKS.md, the edge).
 *
 * <p>A slot is for a body that is moving. One whose holder has waited longer than
 * {@code stuckAfter}, for its client's socket to drain or for the upstream's next bytes, is let go
 * of its slot and sent from then on like a body that never needed one, a piece whenever its
 * connection can take it: a slow viewer or a slow origin holds up the others for that long at
 * most, not for its whole body.
 *
 * <p>Everything about one loop runs on that loop's thread; only the counts are read elsewhere.
 */
public final class SendSlots {

  /**
   * Slots per event loop: enough that the loop always has a socket with room while others drain,
   * few enough that each body gets a large share. On loopback (docs/BENCHMARKS.md, the edge) 2
   * lengthened the herd and 24 let the tail of 2 MB hits back up to where it was without slots;
   * 12 kept both low.
   */
  public static final int PER_LOOP = 12;

  /** How long a holder may wait before it is let go of its slot. */
  public static final Duration STUCK_AFTER = Duration.ofMillis(20);

  /** A body being sent. Every call is made on its connection's event loop. */
  public interface Holder {

    /** It holds a slot now and may send. */
    void granted();

    /**
     * {@link System#nanoTime()} when it started waiting for its client or its upstream, or 0
     * while it is sending.
     */
    long waitingSince();

    /** It no longer holds a slot, and from now on sends without one. */
    void letGo();
  }

  private final int perLoop;
  private final long stuckNanos;
  private final Map<EventLoop, Loop> loops = new ConcurrentHashMap<>();
  private final AtomicInteger waiting = new AtomicInteger();
  private final LongAdder letGo = new LongAdder();

  public SendSlots(int perLoop, Duration stuckAfter) {
    if (perLoop < 1) {
      throw new IllegalArgumentException("slots per loop must be at least 1, was " + perLoop);
    }
    this.perLoop = perLoop;
    this.stuckNanos = stuckAfter.toNanos();
  }

  /** The slots of the event loop {@code context} runs on. */
  public Loop of(Context context) {
    return loops.computeIfAbsent(((ContextInternal) context).nettyEventLoop(), Loop::new);
  }

  /** Bodies waiting for a slot now, on every loop. */
  public int waiting() {
    return waiting.get();
  }

  /** Holders let go of their slot for waiting too long, since start. */
  public long letGo() {
    return letGo.sum();
  }

  /** One event loop's slots: its holders and, in order, the bodies waiting for one. */
  public final class Loop {
    private final EventLoop eventLoop;
    private final List<Holder> holding = new ArrayList<>(perLoop);
    private final ArrayDeque<Holder> queue = new ArrayDeque<>();
    /** Runs while bodies wait: lets go of stuck holders. */
    private ScheduledFuture<?> sweep;

    private Loop(EventLoop eventLoop) {
      this.eventLoop = eventLoop;
    }

    /**
     * Asks for a slot: true if {@code holder} holds one now; false if it waits, and is
     * {@link Holder#granted granted} one later unless it gives up first.
     */
    public boolean take(Holder holder) {
      if (holding.size() < perLoop) {
        holding.add(holder);
        return true;
      }
      queue.add(holder);
      waiting.incrementAndGet();
      if (sweep == null) {
        long every = Math.max(1, stuckNanos / 2);
        sweep = eventLoop.scheduleAtFixedRate(this::sweep, every, every, TimeUnit.NANOSECONDS);
      }
      return false;
    }

    /** {@code holder} is done, or gone: its slot, or its place in the queue, is freed. */
    public void giveBack(Holder holder) {
      if (holding.remove(holder)) {
        grant();
      } else if (queue.remove(holder)) {
        waiting.decrementAndGet();
      }
    }

    private void sweep() {
      long now = System.nanoTime();
      for (Iterator<Holder> it = holding.iterator(); it.hasNext(); ) {
        Holder holder = it.next();
        long since = holder.waitingSince();
        if (since != 0 && now - since >= stuckNanos) {
          it.remove();
          letGo.increment();
          holder.letGo();
        }
      }
      grant();
    }

    private void grant() {
      while (holding.size() < perLoop && !queue.isEmpty()) {
        Holder next = queue.poll();
        waiting.decrementAndGet();
        holding.add(next);
        next.granted();
      }
      if (queue.isEmpty() && sweep != null) {
        sweep.cancel(false);
        sweep = null;
      }
    }
  }
}
