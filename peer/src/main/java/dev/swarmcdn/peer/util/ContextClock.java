package dev.swarmcdn.peer.util;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

/** The clock of an engine confined to one Vert.x context: its timers and tasks run there. */
public final class ContextClock implements Clock {
  private final Context context;

  public ContextClock(Context context) {
    this.context = context;
  }

  public Context context() {
    return context;
  }

  @Override
  public long now() {
    return System.nanoTime() / 1_000_000;
  }

  @Override
  public Timer schedule(long delayMs, Runnable task) {
    if (delayMs <= 0) {
      boolean[] cancelled = {false};
      context.runOnContext(ignored -> {
        if (!cancelled[0]) {
          task.run();
        }
      });
      return () -> cancelled[0] = true;
    }
    // A timer set on another thread would fire on a context of its own: hop to ours unless on it.
    long id = context.owner().setTimer(delayMs, ignored -> {
      if (Vertx.currentContext() == context) {
        task.run();
      } else {
        context.runOnContext(hop -> task.run());
      }
    });
    return () -> context.owner().cancelTimer(id);
  }

  @Override
  public void execute(Runnable task) {
    context.runOnContext(ignored -> task.run());
  }
}
