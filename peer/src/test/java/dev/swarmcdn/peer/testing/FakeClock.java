package dev.swarmcdn.peer.testing;

import dev.swarmcdn.peer.util.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A clock tests move by hand (web-player/test/support/fake-clock.js): {@link #advance} runs every
 * timer that falls due on the way, in time order (ties in the order they were scheduled), with the
 * clock set to each timer's time while it runs. {@link #execute} queues the task to run at the
 * current time on the next {@link #advance} or {@link #settle} (as the engine's thread runs it
 * after the current task), or at once when built with {@code executeAtOnce}.
 */
public final class FakeClock implements Clock {
  private final boolean executeAtOnce;
  private final List<Task> tasks = new ArrayList<>();
  private long time;
  private long nextOrder;

  private final class Task implements Timer {
    final long at;
    final long order = nextOrder++;
    final Runnable run;

    Task(long at, Runnable run) {
      this.at = at;
      this.run = run;
    }

    @Override
    public void cancel() {
      tasks.remove(this);
    }
  }

  public FakeClock() {
    this(1000, false);
  }

  public FakeClock(long start, boolean executeAtOnce) {
    this.time = start;
    this.executeAtOnce = executeAtOnce;
  }

  @Override
  public long now() {
    return time;
  }

  @Override
  public Timer schedule(long delayMs, Runnable task) {
    Task t = new Task(time + Math.max(0, delayMs), task);
    tasks.add(t);
    return t;
  }

  @Override
  public void execute(Runnable task) {
    if (executeAtOnce) {
      task.run();
    } else {
      schedule(0, task);
    }
  }

  /** Moves time forward by {@code ms}, running every task that falls due on the way. */
  public void advance(long ms) {
    long target = time + ms;
    for (;;) {
      Task next = tasks.stream().filter(t -> t.at <= target)
          .min(Comparator.<Task>comparingLong(t -> t.at).thenComparingLong(t -> t.order)).orElse(null);
      if (next == null) {
        break;
      }
      tasks.remove(next);
      time = Math.max(time, next.at);
      next.run.run();
    }
    time = target;
  }

  /** Runs what is due now (queued {@link #execute} tasks, 0 ms timers, and what they queue). */
  public void settle() {
    advance(0);
  }

  /** Tasks waiting, due or not. */
  public int pending() {
    return tasks.size();
  }
}
