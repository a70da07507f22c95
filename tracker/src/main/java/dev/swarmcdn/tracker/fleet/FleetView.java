package dev.swarmcdn.tracker.fleet;

import dev.swarmcdn.protocol.tracker.SwarmId;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code GET /streams} answers: the viewers' figures of every stream, as this tracker holds
 * them ({@link #local}) or summed over every instance of its cluster. Figures of an instance that
 * did not answer in time are missing from the sums, and the answer says how many instances did.
 */
public interface FleetView {

  /** {@code {"streams":[...],"trackers":{"asked":N,"answered":M}}} (docs/PROTOCOL.md). */
  Future<JsonObject> streams();

  /** Makes the view of a tracker whose own figures are {@code figures}. */
  @FunctionalInterface
  interface Factory {
    FleetView over(FleetFigures figures);
  }

  /** A tracker on its own: its figures are all there are. */
  Factory LOCAL = figures -> () -> Future.succeededFuture(answer(List.of(figures.snapshot()), 1));

  /**
   * Sums the figures of several trackers per stream and rendition.
   *
   * @param answers each answering tracker's figures
   * @param asked   how many trackers were asked, those that did not answer included
   */
  static JsonObject answer(Collection<List<StreamFigures>> answers, int asked) {
    Map<SwarmId, StreamFigures> sums = new TreeMap<>(FleetFigures.BY_NAME);
    answers.forEach(figures -> figures.forEach(one -> sums.merge(one.swarm(), one, StreamFigures::plus)));
    JsonArray streams = new JsonArray();
    sums.values().forEach(one -> streams.add(one.toJson()));
    return new JsonObject().put("streams", streams)
        .put("trackers", new JsonObject().put("asked", asked).put("answered", answers.size()));
  }
}
