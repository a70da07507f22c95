package dev.swarmcdn.peer.engine;

import dev.swarmcdn.peer.util.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one segment job decided and what came of it, each step with the milliseconds since the job
 * started: logged at debug as it happens, and at info when the segment reached the player after it
 * was due, so that a stall says where its time went (a wait for peers, a slow peer, a slow HTTP fetch).
 */
final class JobTrace {
  private static final Logger LOG = LoggerFactory.getLogger(SegmentJob.class);
  /** Bounds the text a pathological job can pile up (a segment retried many times). */
  private static final int MAX_CHARS = 2000;

  private final String segment;
  private final Clock clock;
  private final long startedAt;
  private final StringBuilder steps = new StringBuilder();
  /** When the playhead reaches the segment, by the player's latest word; -1 while unknown. */
  private long dueAt = -1;

  JobTrace(String segment, Clock clock) {
    this.segment = segment;
    this.clock = clock;
    this.startedAt = clock.now();
  }

  /** The player wants the segment, due in {@code dueSeconds} (0: its buffer is empty, or it has not started). */
  void wanted(double dueSeconds) {
    long now = clock.now();
    dueAt = dueSeconds > 0 ? now + Math.round(dueSeconds * 1000) : -1;
    note(dueAt < 0 ? "wanted now" : "wanted, due in " + (dueAt - now) + " ms");
  }

  void note(String step) {
    LOG.debug("segment {}: {}", segment, step);
    if (steps.length() < MAX_CHARS) {
      steps.append(steps.length() == 0 ? "" : "; ").append('+').append(clock.now() - startedAt).append(' ').append(step);
    }
  }

  /** The job ended: a segment handed over after it was due is logged with its steps. */
  void ended(boolean delivered) {
    long late = dueAt < 0 ? 0 : clock.now() - dueAt;
    if (delivered && late > 0) {
      LOG.info("segment {} came {} ms after it was due: {}", segment, late, steps);
    }
  }
}
