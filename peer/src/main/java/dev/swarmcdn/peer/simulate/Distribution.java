package dev.swarmcdn.peer.simulate;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;

/** Mean, median, tails and maximum of per-viewer figures (nearest rank: every value is one that occurred). */
final class Distribution {
  private Distribution() {
  }

  static JsonObject of(double[] values) {
    JsonObject out = new JsonObject().put("n", values.length);
    if (values.length == 0) {
      return out;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return out.put("mean", SecondBySecond.round(Arrays.stream(sorted).average().orElse(0)))
        .put("p50", rank(sorted, 0.50)).put("p90", rank(sorted, 0.90)).put("p99", rank(sorted, 0.99))
        .put("max", sorted[sorted.length - 1]);
  }

  private static double rank(double[] sorted, double quantile) {
    int index = (int) Math.ceil(quantile * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }
}
