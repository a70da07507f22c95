package dev.swarmcdn.edge.forwarding;

import dev.swarmcdn.edge.forwarding.fill.SendSlots;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/**
 * The edge's own meters. Request latency and bytes per status come from the server's
 * {@code http_server_*} meters and Vert.x's client instrumentation ({@code vertx_http_client_*});
 * these add what only the cache knows.
 */
public final class EdgeMetrics {

  /** How a request was answered, also sent to the client as {@code X-Cache}. */
  public enum CacheStatus { HIT, MISS, STALE, ERROR }

  private final Map<CacheStatus, Counter> requests = new EnumMap<>(CacheStatus.class);
  private final Counter notModified;
  private final Counter bytesFromCache;
  private final Counter bytesFromUpstream;
  private final MeterRegistry registry;

  public EdgeMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (CacheStatus status : CacheStatus.values()) {
      requests.put(status, Counter.builder("edge_requests_total").tag("cache", status.name().toLowerCase())
          .description("Requests by how the cache answered them").register(registry));
    }
    notModified = Counter.builder("edge_revalidations_total").tag("result", "not_modified")
        .description("Stored objects an upstream confirmed unchanged (304)").register(registry);
    bytesFromCache = Counter.builder("edge_body_bytes_total").tag("source", "cache")
        .description("Body bytes sent to clients from a stored object").register(registry);
    bytesFromUpstream = Counter.builder("edge_upstream_body_bytes_total")
        .description("Body bytes received from upstreams").register(registry);
  }

  public void answered(CacheStatus status) {
    requests.get(status).increment();
  }

  /** Requests answered {@code status} so far. */
  public double count(CacheStatus status) {
    return requests.get(status).count();
  }

  public void confirmedUnchanged() {
    notModified.increment();
  }

  public void sentFromCache(long bytes) {
    bytesFromCache.increment(bytes);
  }

  public void receivedFromUpstream(long bytes) {
    bytesFromUpstream.increment(bytes);
  }

  /** Meters of the loops' send slots: bodies waiting for one, and holders let go of theirs. */
  void watch(SendSlots slots) {
    Gauge.builder("edge_bodies_waiting_to_send", slots, SendSlots::waiting)
        .description("Response bodies waiting, head sent, for one of their event loop's send slots")
        .register(registry);
    FunctionCounter.builder("edge_send_slots_let_go_total", slots, SendSlots::letGo)
        .description("Bodies let go of their send slot after waiting too long for their client or upstream")
        .register(registry);
  }
}
