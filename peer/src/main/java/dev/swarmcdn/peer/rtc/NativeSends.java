package dev.swarmcdn.peer.rtc;

import java.util.ArrayDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads that hand data-channel messages to libwebrtc. A send is a blocking call onto
 * libwebrtc's network thread, which serves every connection of the factory: made on the engine's
 * event loop, a hundred viewers' sends kept it waiting most of each second, and the HTTP answers
 * and timers queued behind them came seconds late. Here a send costs the event loop a copy; the
 * waiting is done by these threads. Each channel gets its own {@link Lane}, which runs its calls
 * in order.
 */
final class NativeSends implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NativeSends.class);
  /** Threads waiting on the network thread at once: more lets it batch, fewer keeps order cheap. */
  private static final int THREADS = 4;

  private final ExecutorService threads;

  NativeSends() {
    AtomicInteger count = new AtomicInteger();
    this.threads = Executors.newFixedThreadPool(THREADS, task -> {
      Thread thread = new Thread(task, "swarmcdn-webrtc-send-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  Lane lane() {
    return new Lane();
  }

  /** Stops the threads once the calls already queued have run. */
  @Override
  public void close() {
    threads.shutdown();
  }

  /** One channel's native calls, run one at a time in the order they were queued. */
  final class Lane {
    private final ArrayDeque<Runnable> queued = new ArrayDeque<>();
    private boolean draining;

    private Lane() {
    }

    void run(Runnable call) {
      synchronized (this) {
        queued.add(call);
        if (draining) {
          return;
        }
        draining = true;
      }
      try {
        threads.execute(this::drain);
      } catch (RejectedExecutionException closed) {
        // The runtime closed, its connections with it: nothing is left to send to.
        synchronized (this) {
          queued.clear();
          draining = false;
        }
      }
    }

    private void drain() {
      while (true) {
        Runnable next;
        synchronized (this) {
          next = queued.poll();
          if (next == null) {
            draining = false;
            return;
          }
        }
        try {
          next.run();
        } catch (RuntimeException e) {
          LOG.warn("a native data channel call failed: {}", e.toString());
        }
      }
    }
  }
}
