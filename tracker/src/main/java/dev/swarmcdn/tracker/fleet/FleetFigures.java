package dev.swarmcdn.tracker.fleet;

import dev.swarmcdn.protocol.tracker.SwarmId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * The viewers' own figures of every stream and rendition this tracker saw reports for: segment
 * bytes by source (HTTP, viewers, edge seeders), bytes uploaded, stalls and failed integrity checks,
 * summed from the growth of each viewer's reports ({@link ViewerReport}). Exposed as counters
 * ({@code tracker_viewer_*_total{stream,rendition}}; Prometheus sums them over a cluster's
 * instances) and as {@link StreamFigures} for {@code GET /streams} ({@link FleetView}), with the
 * viewers reporting now. At most {@link #MAX_SWARMS} swarms are kept apart; reports of more are
 * counted under stream {@code _other}, so a tracker asked to hold many swarms does not grow its
 * metrics without bound.
 */
public final class FleetFigures {
  static final int MAX_SWARMS = 1_000;
  /** The order {@code GET /streams} lists swarms in. */
  public static final Comparator<SwarmId> BY_NAME = Comparator.comparing(SwarmId::stream)
      .thenComparing(SwarmId::rendition);
  private static final SwarmId OTHER = new SwarmId("_other", "_other");

  private final MeterRegistry registry;
  private final LongSupplier clock;
  private final Map<SwarmId, Figures> bySwarm = new ConcurrentHashMap<>();
  /** Each open connection that reported: the swarm its latest report named (one a connection). */
  private final Map<Object, SwarmId> watching = new ConcurrentHashMap<>();

  /** @param clock epoch milliseconds: the pace of reports is judged on it */
  public FleetFigures(MeterRegistry registry, LongSupplier clock) {
    this.registry = registry;
    this.clock = clock;
  }

  /** The time on this tracker's clock, for {@link ViewerReport}. */
  public long now() {
    return clock.getAsLong();
  }

  /**
   * Adds what {@code viewer}'s report grew by to {@code swarm}'s figures, and counts {@code viewer}
   * among that swarm's viewers until it reports another swarm or {@link #left} is called.
   *
   * @param viewer the reporting connection's identity, the same object at each of its reports
   */
  public void add(Object viewer, SwarmId swarm, ViewerReport.Growth growth) {
    Figures figures = bySwarm.get(swarm);
    if (figures == null) {
      SwarmId kept = bySwarm.size() < MAX_SWARMS ? swarm : OTHER;
      figures = bySwarm.computeIfAbsent(kept, key -> new Figures(registry, key));
    }
    figures.add(growth);
    watching.put(viewer, figures.swarm);
  }

  /** {@code viewer} closed its connection or left {@code swarm}: no longer one of its viewers. */
  public void left(Object viewer, SwarmId swarm) {
    watching.remove(viewer, bySwarm.containsKey(swarm) ? swarm : OTHER);
  }

  /** Every swarm's figures now, sorted by stream and rendition. */
  public List<StreamFigures> snapshot() {
    Map<SwarmId, Long> viewers = watching.values().stream()
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    return bySwarm.entrySet().stream()
        .sorted(Map.Entry.comparingByKey(BY_NAME))
        .map(entry -> entry.getValue().figures(viewers.getOrDefault(entry.getKey(), 0L)))
        .toList();
  }

  private static final class Figures {
    private final SwarmId swarm;
    private final Counter http;
    private final Counter p2p;
    private final Counter seeder;
    private final Counter uploaded;
    private final Counter stalls;
    private final Counter integrityFailures;
    private final LongAdder reports = new LongAdder();

    Figures(MeterRegistry registry, SwarmId swarm) {
      this.swarm = swarm;
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

    StreamFigures figures(long viewers) {
      return new StreamFigures(swarm, (long) http.count(), (long) p2p.count(), (long) seeder.count(),
          (long) uploaded.count(), (long) stalls.count(), (long) integrityFailures.count(), reports.sum(), viewers);
    }
  }
}
