package dev.swarmcdn.tracker.fleet;

import dev.swarmcdn.protocol.tracker.SwarmId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The viewers' own figures of every stream and rendition this tracker saw reports for: segment
 * bytes by source (HTTP, viewers, edge seeders), bytes uploaded, stalls and failed integrity checks,
 * summed from the growth of each viewer's reports ({@link ViewerReport}). Exposed as counters
 * ({@code tracker_viewer_*_total{stream,rendition}}; Prometheus sums them over a cluster's
 * instances) and as JSON for {@code GET /streams}. At most {@link #MAX_SWARMS} swarms are kept
 * apart; reports of more are counted under stream {@code _other}, so a tracker asked to hold many
 * swarms does not grow its metrics without bound.
 */
public final class FleetFigures {
  static final int MAX_SWARMS = 1_000;
  private static final SwarmId OTHER = new SwarmId("_other", "_other");

  private final MeterRegistry registry;
  private final LongSupplier clock;
  private final Map<SwarmId, Figures> bySwarm = new ConcurrentHashMap<>();

  /** @param clock epoch milliseconds: the pace of reports is judged on it */
  public FleetFigures(MeterRegistry registry, LongSupplier clock) {
    this.registry = registry;
    this.clock = clock;
  }

  /** The time on this tracker's clock, for {@link ViewerReport}. */
  public long now() {
    return clock.getAsLong();
  }

  public void add(SwarmId swarm, ViewerReport.Growth growth) {
    Figures figures = bySwarm.get(swarm);
    if (figures == null) {
      SwarmId kept = bySwarm.size() < MAX_SWARMS ? swarm : OTHER;
      figures = bySwarm.computeIfAbsent(kept, key -> new Figures(registry, key));
    }
    figures.add(growth);
  }

  /** {@code {"streams":[{"stream","rendition","bytes":{"http","p2p","seeder"},"p2pShare",...}]}}. */
  public JsonObject toJson() {
    JsonArray streams = new JsonArray();
    bySwarm.entrySet().stream()
        .sorted(Map.Entry.comparingByKey(Comparator.comparing(SwarmId::toString)))
        .forEach(entry -> streams.add(entry.getValue().toJson(entry.getKey())));
    return new JsonObject().put("streams", streams);
  }

  private static final class Figures {
    private final Counter http;
    private final Counter p2p;
    private final Counter seeder;
    private final Counter uploaded;
    private final Counter stalls;
    private final Counter integrityFailures;
    private final LongAdder reports = new LongAdder();

    Figures(MeterRegistry registry, SwarmId swarm) {
      http = bytes(registry, swarm, "http");
      p2p = bytes(registry, swarm, "p2p");
      seeder = bytes(registry, swarm, "seeder");
      uploaded = Counter.builder("tracker.viewer.uploaded.bytes").baseUnit("bytes")
          .description("Segment bytes viewers served to other viewers, as they report it")
          .tags("stream", swarm.stream(), "rendition", swarm.rendition()).register(registry);
      stalls = Counter.builder("tracker.viewer.stalls")
          .description("Times viewers' playback stopped for want of data, as they report it")
          .tags("stream", swarm.stream(), "rendition", swarm.rendition()).register(registry);
      integrityFailures = Counter.builder("tracker.viewer.integrity.failures")
          .description("Segments from peers that failed viewers' integrity checks, as they report it")
          .tags("stream", swarm.stream(), "rendition", swarm.rendition()).register(registry);
    }

    private static Counter bytes(MeterRegistry registry, SwarmId swarm, String source) {
      return Counter.builder("tracker.viewer.segment.bytes").baseUnit("bytes")
          .description("Segment bytes viewers' players got, by source (http, p2p: other viewers, seeder: edge seeders), as they report it")
          .tags("stream", swarm.stream(), "rendition", swarm.rendition(), "source", source).register(registry);
    }

    void add(ViewerReport.Growth growth) {
      http.increment(growth.http());
      p2p.increment(growth.p2p());
      seeder.increment(growth.seeder());
      uploaded.increment(growth.uploaded());
      stalls.increment(growth.stalls());
      integrityFailures.increment(growth.integrityFailures());
      reports.increment();
    }

    JsonObject toJson(SwarmId swarm) {
      long fromHttp = (long) http.count();
      long fromViewers = (long) p2p.count();
      long fromSeeders = (long) seeder.count();
      long total = fromHttp + fromViewers + fromSeeders;
      return new JsonObject()
          .put("stream", swarm.stream())
          .put("rendition", swarm.rendition())
          .put("bytes", new JsonObject().put("http", fromHttp).put("p2p", fromViewers).put("seeder", fromSeeders))
          .put("p2pShare", total == 0 ? 0.0 : (double) fromViewers / total)
          .put("uploaded", (long) uploaded.count())
          .put("stalls", (long) stalls.count())
          .put("integrityFailures", (long) integrityFailures.count())
          .put("reports", reports.sum());
    }
  }
}
