package dev.swarmcdn.peer.watch;

import dev.swarmcdn.peer.stats.FallbackReason;
import dev.swarmcdn.peer.stats.StatsSnapshot;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A {@link StatsSnapshot} as the browser engine's {@code getStats()} writes it (web-player README,
 * "Statistics"), so a script that reads a page's statistics reads the desktop peer's {@code /stats}.
 */
final class StatsJson {
  private StatsJson() {
  }

  static JsonObject of(StatsSnapshot s) {
    JsonObject fallbacks = new JsonObject();
    for (FallbackReason reason : FallbackReason.values()) {
      fallbacks.put(reason.wireName(), s.fallbacks().getOrDefault(reason, 0L));
    }
    JsonArray history = new JsonArray();
    for (StatsSnapshot.Second second : s.history()) {
      history.add(new JsonObject().put("t", second.t()).put("http", second.http()).put("p2p", second.p2p()).put("seeder", second.seeder())
          .put("upload", second.upload()));
    }
    return new JsonObject()
        .put("delivered", new JsonObject().put("http", s.deliveredHttp()).put("p2p", s.deliveredP2p()).put("seeder", s.deliveredSeeder()))
        .put("segments", new JsonObject().put("http", s.segmentsHttp()).put("p2p", s.segmentsP2p()).put("seeder", s.segmentsSeeder()))
        .put("downloaded", new JsonObject().put("http", s.downloadedHttp()).put("p2p", s.downloadedP2p()).put("seeder", s.downloadedSeeder()))
        .put("uploaded", s.uploaded())
        .put("p2pShare", s.p2pShare())
        .put("integrityFailures", s.integrityFailures())
        .put("rescues", s.rescues())
        .put("assignedFetches", s.assignedFetches())
        .put("edgeFailovers", s.edgeFailovers())
        .put("trackerFailovers", s.trackerFailovers())
        // The totals of delivered, under the names of the browser's getStats().
        .put("httpBytes", s.deliveredHttp())
        .put("p2pBytes", s.deliveredP2p())
        .put("seederBytes", s.deliveredSeeder())
        .put("fallbacks", fallbacks)
        .put("p2pInFlight", s.p2pInFlight())
        .put("history", history)
        .put("peers", s.peers())
        .put("seeders", s.seeders())
        .put("swarm", s.swarm())
        .put("tracker", s.tracker())
        .put("uploadsActive", s.uploadsActive());
  }
}
