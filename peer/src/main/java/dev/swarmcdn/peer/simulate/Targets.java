package dev.swarmcdn.peer.simulate;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * The targets, reported beside the figures rather than asserted: a benchmark on a shared
 * machine says how far it is from them, and people judge.
 */
final class Targets {
  /** Least P2P share of the scenarios that have one. */
  private static final Map<String, Double> P2P_SHARE = Map.of("steady", 0.95, "churn", 0.90);
  /** Copies of a segment leaving the edges, on average, with the tracker steering k = 1 first fetcher. */
  private static final double MAX_STEERED_COPIES = 1 + 1;

  private Targets() {
  }

  static JsonArray check(JsonArray runs) {
    JsonArray targets = new JsonArray();
    for (String name : BenchScenario.NAMES) {
      JsonObject on = find(runs, name, true);
      JsonObject off = find(runs, name, false);
      if (on == null) {
        continue;
      }
      Double least = P2P_SHARE.get(name);
      if (least != null) {
        double share = on.getDouble("p2pShare");
        targets.add(target(name, "P2P share >= " + percent(least), percent(share), share >= least));
      }
      if (off != null) {
        long stalledOn = on.getJsonObject("stalls").getLong("stalledMsTotal");
        long stalledOff = off.getJsonObject("stalls").getLong("stalledMsTotal");
        targets.add(target(name, "stalled time with P2P <= without",
            stalledOn + " ms with, " + stalledOff + " ms without (all viewers)", stalledOn <= stalledOff));
      }
      long corrupted = on.getJsonObject("integrity").getLong("corruptedPlayed");
      long checked = on.getJsonObject("integrity").getLong("segmentsWithPeerBytesChecked");
      targets.add(target(name, "nothing corrupted played",
          corrupted + " corrupted of " + checked + " segments with peer bytes", corrupted == 0));
    }
    JsonObject steered = find(runs, "steady", true);
    JsonObject unsteered = find(runs, "unsteered", true);
    if (steered != null && unsteered != null) {
      double copies = steered.getJsonObject("edgeCopiesPerSegment").getDouble("mean", Double.NaN);
      double without = unsteered.getJsonObject("edgeCopiesPerSegment").getDouble("mean", Double.NaN);
      targets.add(target("steady", "copies per segment leaving the edge <= k + 1 = " + MAX_STEERED_COPIES,
          String.format("%.2f steered, %.2f unsteered", copies, without), copies <= MAX_STEERED_COPIES));
      long stalledOn = steered.getJsonObject("stalls").getLong("stalledMsTotal");
      long stalledOff = unsteered.getJsonObject("stalls").getLong("stalledMsTotal");
      targets.add(target("steady", "stalled time steered <= unsteered",
          stalledOn + " ms steered, " + stalledOff + " ms unsteered", stalledOn <= stalledOff));
    }
    return targets;
  }

  private static JsonObject find(JsonArray runs, String name, boolean p2p) {
    for (int i = 0; i < runs.size(); i++) {
      JsonObject run = runs.getJsonObject(i);
      if (run.getString("name").equals(name) && run.getBoolean("p2p") == p2p) {
        return run;
      }
    }
    return null;
  }

  private static JsonObject target(String scenario, String target, String measured, boolean met) {
    return new JsonObject().put("scenario", scenario).put("target", target).put("measured", measured).put("met", met);
  }

  private static String percent(double share) {
    return String.format("%.1f %%", share * 100);
  }
}
