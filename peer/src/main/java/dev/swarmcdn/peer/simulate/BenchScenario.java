package dev.swarmcdn.peer.simulate;

import dev.swarmcdn.peer.engine.EngineOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * One scenario of the swarm benchmark, with P2P on or off: who the viewers are (their engine options
 * by index) and whether they come and go.
 */
record BenchScenario(String name, boolean p2p, String description, Churn churn, IntFunction<EngineOptions> options) {
  static final List<String> NAMES = List.of("steady", "churn", "slow", "liar", "unsteered");
  /** 1 Mbit/s. */
  static final long SLOW_UPLOAD_BYTES_PER_SECOND = 125_000;

  String label() {
    return name + (p2p ? " p2p" : " http-only");
  }

  /**
   * The scenario {@code name} with P2P on, then the same with it off; {@code unsteered} alone (with
   * P2P off it would be steady's twin).
   */
  static List<BenchScenario> pair(String name, EngineOptions base) {
    BenchScenario on = of(name, base);
    if (name.equals("unsteered")) {
      return List.of(on);
    }
    EngineOptions off = base.toBuilder().p2p(false).build();
    List<BenchScenario> both = new ArrayList<>();
    both.add(on);
    both.add(new BenchScenario(name, false, on.description() + "; P2P off", on.churn(), i -> off));
    return both;
  }

  private static BenchScenario of(String name, EngineOptions base) {
    switch (name) {
      case "steady":
        return new BenchScenario(name, true, "every viewer stays", Churn.NONE, i -> base);
      case "unsteered": {
        // The comparison for steering, in the same run: each viewer decides alone, as before it.
        EngineOptions own = base.toBuilder().steered(false).build();
        return new BenchScenario(name, true, "every viewer stays, each ignores the tracker's assignments",
            Churn.NONE, i -> own);
      }
      case "churn":
        return new BenchScenario(name, true, "10 % leave and 10 % join every 10 s after the ramp",
            new Churn(Duration.ofSeconds(10), 0.1, 0.1), i -> base);
      case "slow": {
        EngineOptions slow = base.toBuilder().maxUploadRate(SLOW_UPLOAD_BYTES_PER_SECOND).build();
        // Every fifth viewer: 20 %, spread over the ramp rather than all joining last.
        return new BenchScenario(name, true, "20 % of viewers upload at most 1 Mbit/s", Churn.NONE,
            i -> i % 5 == 4 ? slow : base);
      }
      case "liar": {
        // The uploader hands the tamper its own copy of the segment.
        EngineOptions liar = base.toBuilder().tamper((sequence, payload) -> {
          for (int b = 0; b < payload.length; b++) {
            payload[b] = (byte) ~payload[b];
          }
          return payload;
        }).build();
        // The first to join: it holds segments soonest, so the others ask it most.
        return new BenchScenario(name, true, "viewer 0 serves every byte flipped", Churn.NONE,
            i -> i == 0 ? liar : base);
      }
      default:
        throw new IllegalArgumentException("no scenario " + name + "; there are " + NAMES);
    }
  }
}
