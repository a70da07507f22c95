package dev.swarmcdn.tracker.session;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks every connection for silence with one periodic timer per event loop: a timer per
 * connection would weigh more than all the rest the tracker keeps about a peer. Each loop's list is
 * touched only on that loop; a connection leaves it in constant time, by the index it holds.
 */
final class SilenceWatch {

  /** What a watched connection does when the watch comes round. */
  interface Watched {
    void checkSilence();

    /** Where this watch keeps it; -1 when not watched. */
    int watchIndex();

    void watchIndex(int index);
  }

  private final Vertx vertx;
  private final long periodMs;
  private final Map<Context, Loop> loops = new ConcurrentHashMap<>();

  SilenceWatch(Vertx vertx, Duration period) {
    this.vertx = vertx;
    this.periodMs = Math.max(1, period.toMillis());
  }

  /**
   * Watches {@code connection} from now on; call on its event loop, inside its context. Answers
   * the loop's watch, which the connection leaves through {@link Loop#remove}, on the same loop.
   */
  Loop add(Watched connection) {
    // By the event loop's own context: a request's duplicate of it differs per connection.
    Context loopContext = ((ContextInternal) Vertx.currentContext()).unwrap();
    Loop loop = loops.computeIfAbsent(loopContext, context -> new Loop());
    loop.add(connection);
    return loop;
  }

  /** The connections of one event loop. */
  final class Loop {
    private final ArrayList<Watched> watched = new ArrayList<>();
    private long timer = -1;

    private void add(Watched connection) {
      connection.watchIndex(watched.size());
      watched.add(connection);
      if (timer < 0) {
        timer = vertx.setPeriodic(periodMs, id -> sweep());
      }
    }

    void remove(Watched connection) {
      int index = connection.watchIndex();
      if (index < 0 || index >= watched.size() || watched.get(index) != connection) {
        return;
      }
      Watched last = watched.remove(watched.size() - 1);
      if (last != connection) {
        watched.set(index, last);
        last.watchIndex(index);
      }
      connection.watchIndex(-1);
      if (watched.isEmpty()) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
    }

    /** Backwards, so a connection that closes (and moves the last one into its place) skips nobody. */
    private void sweep() {
      for (int i = watched.size() - 1; i >= 0; i--) {
        if (i < watched.size()) {
          watched.get(i).checkSilence();
        }
      }
    }
  }
}
