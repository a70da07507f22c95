package dev.swarmcdn.peer.util;

/**
 * Time and timers of one engine. Every task runs on the engine's own thread, in order, as a
 * browser's timers run on its page's thread; tests drive the core with a clock of their own.
 */
public interface Clock {

  /** Milliseconds on a monotonic scale (not the wall clock). */
  long now();

  /** Runs {@code task} once, after {@code delayMs} (0: as soon as the thread is free). */
  Timer schedule(long delayMs, Runnable task);

  /** Runs {@code task} on the engine's thread; safe to call from any thread. */
  void execute(Runnable task);

  /** A scheduled task. */
  interface Timer {
    /** Keeps the task from running, if it has not run yet; harmless afterwards. */
    void cancel();
  }
}
