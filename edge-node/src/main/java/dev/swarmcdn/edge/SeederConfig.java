package dev.swarmcdn.edge;

import java.time.Duration;

/**
 * The edge's WebRTC seeder (docs/ARCHITECTURE.md, "The edge seeder").
 *
 * @param enabled   joins the swarms of the live renditions its viewers play
 * @param maxPeers  viewers served over data channels at once, per swarm
 * @param maxMbps   megabits per second over data channels, all swarms together; 0 for no cap
 * @param cacheBytes  copies of live-window segments kept to serve from, all swarms together
 * @param idle      a swarm whose playlist no viewer asked for this long is left
 */
public record SeederConfig(boolean enabled, int maxPeers, double maxMbps, long cacheBytes, Duration idle) {

  public static final SeederConfig OFF = new SeederConfig(false, 32, 100, 64L << 20, Duration.ofSeconds(30));

  public SeederConfig {
    if (maxPeers < 1 || maxPeers > 1024) {
      throw new IllegalArgumentException("--seeder-max-peers must be 1 to 1024, not " + maxPeers);
    }
    if (!(maxMbps >= 0) || Double.isInfinite(maxMbps)) {
      throw new IllegalArgumentException("--seeder-max-mbps must be 0 (no cap) or more, not " + maxMbps);
    }
    if (cacheBytes < 1 << 20) {
      throw new IllegalArgumentException("the seeder needs at least 1 MiB of segments");
    }
  }

  /** Seeding with the default budget. */
  public static SeederConfig on() {
    return OFF.withEnabled(true);
  }

  public SeederConfig withEnabled(boolean value) {
    return new SeederConfig(value, maxPeers, maxMbps, cacheBytes, idle);
  }

  /** The cap in bytes per second, 0 for none. */
  public long maxBytesPerSecond() {
    return Math.round(maxMbps * 1_000_000 / 8);
  }
}
