package dev.swarmcdn.origin.live;

import java.time.Duration;

/**
 * How long to wait before restarting a packager that died: doubling from {@code initial} up to
 * {@code max} while runs keep failing fast, back to {@code initial} after a run that lasted at least
 * {@code healthyRun}. A crash loop then costs little CPU, and a rare crash is repaired at once.
 * Not thread-safe: used from the supervisor's context only.
 */
final class RestartBackoff {

  private final Duration initial;
  private final Duration max;
  private final Duration healthyRun;
  private Duration next;

  RestartBackoff(Duration initial, Duration max, Duration healthyRun) {
    this.initial = initial;
    this.max = max;
    this.healthyRun = healthyRun;
    this.next = initial;
  }

  /** The delay before the next start, given how long the run that just ended lasted. */
  Duration delayAfter(Duration run) {
    if (run.compareTo(healthyRun) >= 0) {
      next = initial;
    }
    Duration delay = next;
    Duration doubled = next.multipliedBy(2);
    next = doubled.compareTo(max) > 0 ? max : doubled;
    return delay;
  }
}
