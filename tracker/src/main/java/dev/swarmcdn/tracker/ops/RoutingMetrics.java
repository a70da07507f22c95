package dev.swarmcdn.tracker.ops;

import dev.swarmcdn.tracker.registry.EdgeRegistry;
import dev.swarmcdn.tracker.registry.EdgeState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Meters of the edge registry and routing (Prometheus names: {@code tracker_edges{state}},
 * {@code tracker_routes_total{edge}}, {@code tracker_route_fallbacks_total}). A route counter
 * appears with the first route to its edge; the registry's size bounds how many there are at once.
 */
public final class RoutingMetrics {

  private final MeterRegistry registry;
  private final Map<String, Counter> routes = new ConcurrentHashMap<>();
  private final Counter fallbacks;

  public RoutingMetrics(MeterRegistry registry, EdgeRegistry edges) {
    this.registry = registry;
    for (EdgeState state : EdgeState.values()) {
      Gauge.builder("tracker.edges", edges, registered -> registered.count(state)).strongReference(true)
          .tag("state", state.wireName())
          .description("Registered edges by state: healthy ones are in rotation").register(registry);
    }
    fallbacks = Counter.builder("tracker.route.fallbacks")
        .description("Routes that found no healthy edge (sent to the origin, or refused without one)")
        .register(registry);
  }

  public void routed(String edgeId) {
    routes.computeIfAbsent(edgeId, id -> Counter.builder("tracker.routes").tag("edge", id)
        .description("Viewers routed to each edge").register(registry)).increment();
  }

  public void fellBack() {
    fallbacks.increment();
  }
}
