package dev.swarmcdn.chaos;

import java.time.Duration;

/**
 * How big the chaos suite runs: short for CI by default; the benchmark
 * (load-tests/chaos/chaos-bench.sh) sets more viewers and the 60-second origin outage
 * through system properties.
 *
 * @param viewers  Java virtual viewers per scenario
 * @param outage   how long the origin stays dead
 * @param watch    how long a lasting fault (a dead edge or tracker, a full disk) is watched under load
 */
record ChaosSettings(int viewers, Duration outage, Duration watch) {

  static ChaosSettings fromSystemProperties() {
    return new ChaosSettings(Integer.getInteger("chaos.viewers", 4),
        Duration.ofSeconds(Integer.getInteger("chaos.outage-seconds", 15)),
        Duration.ofSeconds(Integer.getInteger("chaos.watch-seconds", 10)));
  }

  /** Bound of waits for viewers to play again: the fault's own time plus starts on a busy machine. */
  Duration recoveryBound() {
    return Duration.ofSeconds(60);
  }
}
