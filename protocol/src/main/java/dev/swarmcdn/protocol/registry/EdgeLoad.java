package dev.swarmcdn.protocol.registry;

/**
 * What an edge reports in each heartbeat.
 *
 * @param connections           open viewer connections now
 * @param egressBytesPerSecond  bytes sent to clients per second since its previous heartbeat
 * @param hitRatio              share of requests answered from its cache since its previous
 *                              heartbeat, 0 to 1
 */
public record EdgeLoad(long connections, double egressBytesPerSecond, double hitRatio) {

  /** Before the first heartbeat. */
  public static final EdgeLoad NONE = new EdgeLoad(0, 0, 0);

  /** JavaScript's Number.MAX_SAFE_INTEGER, like every counter of our JSON. */
  private static final long MAX_COUNT = (1L << 53) - 1;

  public EdgeLoad {
    if (connections < 0 || connections > MAX_COUNT) {
      throw new IllegalArgumentException("connections must be 0 to 2^53-1");
    }
    if (!(egressBytesPerSecond >= 0) || Double.isInfinite(egressBytesPerSecond)) {
      throw new IllegalArgumentException("egressBytesPerSecond must be a finite number, at least 0");
    }
    if (!(hitRatio >= 0 && hitRatio <= 1)) {
      throw new IllegalArgumentException("hitRatio must be 0 to 1");
    }
  }
}
