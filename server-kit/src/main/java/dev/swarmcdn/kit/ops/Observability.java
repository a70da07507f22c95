package dev.swarmcdn.kit.ops;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.MetricsDomain;
import java.time.Duration;

/**
 * One Prometheus registry per server process, shared by Vert.x's own instrumentation of HTTP clients
 * and TCP, by {@link HttpServerMeters} for the HTTP server, and by the server's domain meters.
 */
public final class Observability {

  /**
   * Request latencies as Prometheus histograms, so p50/p99 can be computed across instances; other
   * timers stay plain (sum and count) to keep the scrape small.
   */
  private static final MeterFilter LATENCY_HISTOGRAMS = new MeterFilter() {
    @Override
    public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
      if (id.getName().equals(HttpServerMeters.REQUESTS) || id.getName().endsWith(".response.time")) {
        return DistributionStatisticConfig.builder()
            .percentilesHistogram(true)
            .minimumExpectedValue(Duration.ofMillis(1).toNanos() * 1.0)
            .maximumExpectedValue(Duration.ofSeconds(30).toNanos() * 1.0)
            .build()
            .merge(config);
      }
      return config;
    }
  };

  private final PrometheusMeterRegistry registry;

  private Observability(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  public static Observability create() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(LATENCY_HISTOGRAMS);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    return new Observability(registry);
  }

  /** A Vert.x instance whose HTTP servers and clients report into this registry. */
  public Vertx newVertx(VertxOptions options) {
    return builder(options).build();
  }

  /** The same, joined to a cluster through {@code clusterManager}; completes once joined. */
  public Future<Vertx> newClusteredVertx(VertxOptions options, ClusterManager clusterManager) {
    return builder(options).withClusterManager(clusterManager).buildClustered();
  }

  private VertxBuilder builder(VertxOptions options) {
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions()
        .setEnabled(true)
        // Only the domains we read; event-bus and pool meters would just add scrape weight. HTTP
        // server requests are measured by HttpServerMeters, at a fraction of the cost.
        .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS)
        .addDisabledMetricsCategory(MetricsDomain.NAMED_POOLS)
        .addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER);
    return Vertx.builder()
        .with(options.setMetricsOptions(metrics))
        .withMetrics(new MicrometerMetricsFactory(registry));
  }

  /** Request meters for one HTTP server: mount as its router's first handler. */
  public HttpServerMeters newHttpServerMeters() {
    return new HttpServerMeters(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }
}
