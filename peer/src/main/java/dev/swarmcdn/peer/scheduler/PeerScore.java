package dev.swarmcdn.peer.scheduler;

/**
 * How a peer has served us: delivery rate, latency (request to first byte), and penalties for
 * abandoned or failed transfers, which keep it from being asked for a while, longer each time.
 */
public final class PeerScore {
  private static final long FIRST_PENALTY_MS = 2000;
  private static final long MAX_PENALTY_MS = 60_000;

  private final Ewma rate = new Ewma(6);
  private final Ewma latency = new Ewma(6);
  private int strikes;
  private long penaltyUntil = Long.MIN_VALUE;
  private long served;

  /** @param transferMs  first byte to last */
  public void sample(long bytes, long transferMs, long latencyMs) {
    if (bytes <= 0) {
      return;
    }
    double seconds = Math.max(transferMs, 1) / 1000.0;
    rate.sample(bytes / seconds, seconds);
    latency.sample(latencyMs, 1);
    served++;
    strikes = Math.max(0, strikes - 1);
  }

  /** Abandoned (slow, stalled, late) or failed: not asked for 2 s, doubling with each strike up to a minute. */
  public void penalize(long now) {
    penaltyUntil = now + Math.min(MAX_PENALTY_MS, FIRST_PENALTY_MS << Math.min(strikes, 16));
    strikes++;
  }

  public boolean penalized(long now) {
    return now < penaltyUntil;
  }

  public int strikes() {
    return strikes;
  }

  public long served() {
    return served;
  }

  /**
   * How long this peer should take for {@code bytes}: unmeasured peers are assumed as fast as
   * {@code optimisticRate} bytes per second (so new peers get tried), and each strike makes a peer
   * look slower.
   */
  public double expectedMs(long bytes, double optimisticRate) {
    double bytesPerSecond = rate.measured() ? rate.value() : optimisticRate;
    double latencyMs = latency.measured() ? latency.value() : 100;
    return (latencyMs + bytes / bytesPerSecond * 1000) * (1 + strikes);
  }
}
