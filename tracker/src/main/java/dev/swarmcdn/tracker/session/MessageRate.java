package dev.swarmcdn.tracker.session;

/**
 * How many messages a connection may send: {@code burst} at once, then {@code ratePerSecond}; a
 * token bucket, kept as the generic cell rate algorithm keeps one: a single number per connection,
 * the time at which its bucket would be full again (the "theoretical arrival time"). One instance
 * serves every connection; each keeps its own number, so the rule costs a connection 8 bytes.
 */
final class MessageRate {

  private final long intervalNanos;
  private final long toleranceNanos;

  MessageRate(double ratePerSecond, int burst) {
    this.intervalNanos = Math.max(1, Math.round(1e9 / ratePerSecond));
    this.toleranceNanos = intervalNanos * Math.max(0, burst - 1);
  }

  /** The state of a connection that has sent nothing yet, at {@code nowNanos}: a full bucket. */
  long fresh(long nowNanos) {
    return nowNanos;
  }

  /** Whether a message at {@code nowNanos} is within the rate, for a connection in {@code state}. */
  boolean admits(long state, long nowNanos) {
    return state - nowNanos <= toleranceNanos;
  }

  /** The connection's state once a message admitted at {@code nowNanos} is taken. */
  long taken(long state, long nowNanos) {
    return Math.max(state, nowNanos) + intervalNanos;
  }
}
