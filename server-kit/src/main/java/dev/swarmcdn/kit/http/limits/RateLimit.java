package dev.swarmcdn.kit.http.limits;

/**
 * One server's per-client HTTP rate limit: a token bucket per client address that refills at
 * {@code perSecond} and holds at most {@code burst} requests. {@code perSecond} 0 turns it off.
 * Built from {@code --rate-limit-per-second} and {@code --rate-limit-burst}; a negative value (or a
 * burst below one with the limit on) is refused at start, by the flag's name.
 */
public record RateLimit(double perSecond, int burst) {

  /** No limit: every request is served. */
  public static final RateLimit OFF = new RateLimit(0, 0);

  public RateLimit {
    if (!(perSecond >= 0) || Double.isInfinite(perSecond)) {
      throw new IllegalArgumentException("--rate-limit-per-second must be 0 (off) or a positive number, not " + perSecond);
    }
    if (burst < 0) {
      throw new IllegalArgumentException("--rate-limit-burst must not be negative, not " + burst);
    }
    if (perSecond > 0 && burst < 1) {
      throw new IllegalArgumentException("--rate-limit-burst must be at least 1 while --rate-limit-per-second is on");
    }
  }

  public boolean enabled() {
    return perSecond > 0;
  }

  /**
   * How long a client's bucket takes to fill up again: a client idle this long has a full bucket,
   * the same as one never seen, so its state can be forgotten without changing any answer.
   */
  public long refillNanos() {
    return (long) Math.ceil(burst / perSecond * 1e9);
  }
}
