package dev.swarmcdn.edge;

import dev.swarmcdn.edge.forwarding.upstream.UpstreamTimeouts;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything the edge is told at start. Immutable; built by {@link EdgeCommand} from flags,
 * environment and config file, or directly by tests and the demo.
 *
 * @param id                this edge's name, sent upstream in the hop header
 * @param routes            {@code PREFIX=URL|URL} or a bare origin URL, see UpstreamRoutes
 * @param memoryBytes       bound of the memory tier (off-heap bodies)
 * @param maxObjectBytes    larger objects are passed through, not stored
 * @param ignoredQueryParameters  query parameters left out of the cache key
 * @param playlistTtl       freshness of playlists regardless of upstream, or null to follow it
 * @param segmentTtl        freshness of media segments regardless of upstream, or null
 * @param staleWhileRevalidate  default when the upstream names none
 * @param staleIfError      default when the upstream names none
 */
public record EdgeConfig(
    String host,
    int port,
    String id,
    List<String> routes,
    long memoryBytes,
    long maxObjectBytes,
    Set<String> ignoredQueryParameters,
    Duration playlistTtl,
    Duration segmentTtl,
    Duration staleWhileRevalidate,
    Duration staleIfError,
    UpstreamTimeouts timeouts) {

  public EdgeConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(id, "id");
    routes = List.copyOf(routes);
    ignoredQueryParameters = Set.copyOf(ignoredQueryParameters);
    if (routes.isEmpty()) {
      throw new IllegalArgumentException("the edge needs at least one upstream (--origin)");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if (memoryBytes < 1024 * 1024) {
      throw new IllegalArgumentException("memory tier must hold at least 1 MiB");
    }
    if (maxObjectBytes <= 0 || maxObjectBytes > memoryBytes) {
      throw new IllegalArgumentException("max object size must be positive and fit the memory tier");
    }
  }

  /** One edge in front of {@code originUrl}, on localhost, with a 256 MiB memory tier. */
  public static EdgeConfig defaults(String originUrl) {
    return new EdgeConfig("127.0.0.1", 8081, "edge-1", List.of(originUrl), 256L << 20, 64L << 20,
        Set.of("token", "expires", "signature"), null, null, Duration.ofSeconds(2),
        Duration.ofSeconds(60), UpstreamTimeouts.defaults());
  }

  public EdgeConfig withPort(int newPort) {
    return new EdgeConfig(host, newPort, id, routes, memoryBytes, maxObjectBytes,
        ignoredQueryParameters, playlistTtl, segmentTtl, staleWhileRevalidate, staleIfError, timeouts);
  }

  public EdgeConfig withId(String newId) {
    return new EdgeConfig(host, port, newId, routes, memoryBytes, maxObjectBytes,
        ignoredQueryParameters, playlistTtl, segmentTtl, staleWhileRevalidate, staleIfError, timeouts);
  }

  public EdgeConfig withMemory(long newMemoryBytes, long newMaxObjectBytes) {
    return new EdgeConfig(host, port, id, routes, newMemoryBytes, newMaxObjectBytes,
        ignoredQueryParameters, playlistTtl, segmentTtl, staleWhileRevalidate, staleIfError, timeouts);
  }

  public EdgeConfig withStale(Duration newStaleWhileRevalidate, Duration newStaleIfError) {
    return new EdgeConfig(host, port, id, routes, memoryBytes, maxObjectBytes,
        ignoredQueryParameters, playlistTtl, segmentTtl, newStaleWhileRevalidate, newStaleIfError,
        timeouts);
  }

  public EdgeConfig withTimeouts(UpstreamTimeouts newTimeouts) {
    return new EdgeConfig(host, port, id, routes, memoryBytes, maxObjectBytes,
        ignoredQueryParameters, playlistTtl, segmentTtl, staleWhileRevalidate, staleIfError, newTimeouts);
  }
}
