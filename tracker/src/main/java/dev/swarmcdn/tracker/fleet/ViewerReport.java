package dev.swarmcdn.tracker.fleet;

import dev.swarmcdn.protocol.tracker.ClientMessage;

/**
 * What one connection's viewer reported last, and what a new report adds to the fleet's figures.
 * Counters only grow: a report below the previous one (the player started again) adds nothing and
 * becomes the new baseline, and growth beyond what the elapsed time allows is cut to it, so a
 * viewer that lies can inflate no more than what a fast, honest one could. Not thread-safe: one per
 * connection, on its event loop.
 */
public final class ViewerReport {
  /** 1 Gbit/s: more than any viewer's link, per source. */
  static final long MAX_BYTES_PER_SECOND = 125_000_000L;
  /** More stalls or failed checks than one a second are not believable either. */
  static final long MAX_EVENTS_PER_SECOND = 1;
  /** Reports closer together than this are refused: one every few seconds is the protocol's pace. */
  public static final long MIN_INTERVAL_MS = 1_000;

  private ClientMessage.Stats last;
  private long lastAtMs;

  /** Whether a report at {@code nowMs} comes too soon after the previous one. */
  public boolean tooSoon(long nowMs) {
    return last != null && nowMs - lastAtMs < MIN_INTERVAL_MS;
  }

  /**
   * Takes {@code report} as the new baseline and returns its growth over the previous one; the
   * first report of a connection is a baseline only (its counters may include another tracker's
   * share: the viewer may have moved here).
   */
  public Growth accept(ClientMessage.Stats report, long nowMs) {
    ClientMessage.Stats previous = last;
    long elapsedSeconds = Math.max(1, (nowMs - lastAtMs + 999) / 1000);
    last = report;
    lastAtMs = nowMs;
    if (previous == null) {
      return Growth.NONE;
    }
    long bytes = elapsedSeconds * MAX_BYTES_PER_SECOND;
    long events = elapsedSeconds * MAX_EVENTS_PER_SECOND;
    return new Growth(
        grew(previous.http(), report.http(), bytes),
        grew(previous.p2p(), report.p2p(), bytes),
        grew(previous.seeder(), report.seeder(), bytes),
        grew(previous.uploaded(), report.uploaded(), bytes),
        grew(previous.stalls(), report.stalls(), events),
        grew(previous.integrityFailures(), report.integrityFailures(), events));
  }

  private static long grew(long before, long now, long bound) {
    return now < before ? 0 : Math.min(now - before, bound);
  }

  /** What a report adds. */
  public record Growth(long http, long p2p, long seeder, long uploaded, long stalls, long integrityFailures) {
    static final Growth NONE = new Growth(0, 0, 0, 0, 0, 0);
  }
}
