package dev.swarmcdn.peer.watch;

import dev.swarmcdn.peer.stats.FallbackReason;
import dev.swarmcdn.peer.stats.StatsSnapshot;
import dev.swarmcdn.peer.swarm.LinkClose;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The engine's counters in Prometheus: counters for what only grows (bytes by source, segments,
 * integrity failures, fallbacks and link closes by reason), gauges for what goes up and down. They
 * read the latest {@link EngineSample} (at most a second old): a scrape runs off the engine's thread.
 */
final class WatchMetrics {
  private final Supplier<EngineSample> latest;

  private WatchMetrics(Supplier<EngineSample> latest) {
    this.latest = latest;
  }

  static void bind(MeterRegistry registry, Supplier<EngineSample> latest) {
    new WatchMetrics(latest).register(registry);
  }

  private void register(MeterRegistry registry) {
    counter(registry, "peer_delivered_bytes", "source", "http", "segment bytes handed to the local player",
        StatsSnapshot::deliveredHttp);
    counter(registry, "peer_delivered_bytes", "source", "p2p", "segment bytes handed to the local player",
        StatsSnapshot::deliveredP2p);
    counter(registry, "peer_delivered_bytes", "source", "seeder", "segment bytes handed to the local player",
        StatsSnapshot::deliveredSeeder);
    counter(registry, "peer_delivered_segments", "source", "http", "segments handed to the local player, by the source of most of their bytes",
        StatsSnapshot::segmentsHttp);
    counter(registry, "peer_delivered_segments", "source", "p2p", "segments handed to the local player, by the source of most of their bytes",
        StatsSnapshot::segmentsP2p);
    counter(registry, "peer_delivered_segments", "source", "seeder", "segments handed to the local player, by the source of most of their bytes",
        StatsSnapshot::segmentsSeeder);
    counter(registry, "peer_downloaded_bytes", "source", "http", "bytes received, including bytes thrown away",
        StatsSnapshot::downloadedHttp);
    counter(registry, "peer_downloaded_bytes", "source", "p2p", "bytes received, including bytes thrown away",
        StatsSnapshot::downloadedP2p);
    counter(registry, "peer_downloaded_bytes", "source", "seeder", "bytes received, including bytes thrown away",
        StatsSnapshot::downloadedSeeder);
    FunctionCounter.builder("peer_uploaded_bytes", this, m -> m.stats().uploaded())
        .description("bytes served to peers").register(registry);
    FunctionCounter.builder("peer_integrity_failures", this, m -> m.stats().integrityFailures())
        .description("segments with bytes from peers that failed their check").register(registry);
    for (FallbackReason reason : FallbackReason.values()) {
      FunctionCounter.builder("peer_fallbacks", this, m -> m.stats().fallbacks().getOrDefault(reason, 0L))
          .tag("reason", reason.wireName()).description("peer transfers given up, by reason").register(registry);
    }
    for (LinkClose.Reason reason : LinkClose.Reason.values()) {
      FunctionCounter.builder("peer_link_closes", this, m -> m.sample().linkCloses().getOrDefault(reason, 0L))
          .tag("reason", reason.name().toLowerCase(Locale.ROOT)).description("peer links ended, by reason")
          .register(registry);
    }
    gauge(registry, "peer_peers", "peers connected now", s -> s.peers());
    gauge(registry, "peer_p2p_share", "delivered bytes that came from viewers (not edge seeders), 0 to 1", StatsSnapshot::p2pShare);
    gauge(registry, "peer_p2p_in_flight", "transfers from peers running now", s -> s.p2pInFlight());
    gauge(registry, "peer_uploads_active", "transfers to peers running now", s -> s.uploadsActive());
    gauge(registry, "peer_tracker_open", "1 while the tracker connection is open", s -> "open".equals(s.tracker()) ? 1 : 0);
  }

  private void counter(MeterRegistry registry, String name, String tag, String value, String description,
      ToDoubleFunction<StatsSnapshot> read) {
    FunctionCounter.builder(name, this, m -> read.applyAsDouble(m.stats())).tag(tag, value).description(description)
        .register(registry);
  }

  private void gauge(MeterRegistry registry, String name, String description, ToDoubleFunction<StatsSnapshot> read) {
    Gauge.builder(name, this, m -> read.applyAsDouble(m.stats())).description(description).register(registry);
  }

  private EngineSample sample() {
    return latest.get();
  }

  private StatsSnapshot stats() {
    return sample().stats();
  }
}
