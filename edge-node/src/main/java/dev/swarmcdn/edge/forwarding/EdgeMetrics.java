package dev.swarmcdn.edge.forwarding;

import io.micrometer.core.instrument.Counter;
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

  public EdgeMetrics(MeterRegistry registry) {
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
}
