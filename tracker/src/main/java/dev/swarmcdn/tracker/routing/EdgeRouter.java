package dev.swarmcdn.tracker.routing;

import dev.swarmcdn.kit.routing.BoundedLoadRing;
import dev.swarmcdn.tracker.registry.EdgeEntry;
import dev.swarmcdn.tracker.registry.EdgeRegistry;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Picks the edge for a stream's viewer: consistent hashing with bounded loads
 * ({@link BoundedLoadRing}) over the edges in rotation, keyed by stream, so that one stream's
 * segments concentrate in few caches, spilling to the next edge clockwise when one is over its bound.
 *
 * <p><b>Load</b> of an edge, in viewer connections: the connections it reported in its last
 * heartbeat, plus the routes this tracker handed to it since then (the heartbeat does not count them
 * yet, and without them a burst of viewers would all land on one edge before its next heartbeat).
 * <b>Weight</b>: its declared capacity, so an edge twice as large may carry twice the load before
 * it spills. An edge under {@value #QUIET_UTILISATION} of its capacity keeps its streams whatever
 * the others carry: balance matters only once there is load to balance, while every spill costs a
 * second cache its first fetches.
 */
public final class EdgeRouter {

  /** Share of its capacity below which an edge never spills (the ring's floor). */
  public static final double QUIET_UTILISATION = 0.2;

  /** Routes handed to an edge since the heartbeat numbered {@code sequence}. */
  private record RoutesSince(long sequence, long count) {}

  private final EdgeRegistry registry;
  private final double epsilon;
  private final Map<String, RoutesSince> routed = new HashMap<>();
  private BoundedLoadRing<String> ring;
  private List<String> ringIds = List.of();

  public EdgeRouter(EdgeRegistry registry, double epsilon) {
    this.registry = registry;
    this.epsilon = epsilon;
  }

  /** The edge for a viewer of {@code stream}; empty when no edge is in rotation. */
  public Future<Optional<EdgeEntry>> route(String stream) {
    return route(stream, Set.of());
  }

  /**
   * As {@link #route(String)}, passing over the edges of {@code excluded} (those a viewer saw fail)
   * while another edge is in rotation; when none is, the exclusion is ignored, since an edge the
   * viewer doubts is better than none.
   */
  public Future<Optional<EdgeEntry>> route(String stream, Set<String> excluded) {
    return registry.healthy().map(healthy -> choose(healthy, stream, excluded));
  }

  private synchronized Optional<EdgeEntry> choose(List<EdgeEntry> healthy, String stream, Set<String> asked) {
    if (healthy.isEmpty()) {
      return Optional.empty();
    }
    Map<String, EdgeEntry> byId = new HashMap<>();
    healthy.forEach(entry -> byId.put(entry.id(), entry));
    List<String> ids = healthy.stream().map(EdgeEntry::id).toList();
    if (!ids.equals(ringIds)) {
      // Positions depend on ids only: the ring is rebuilt when the set changes, not at every heartbeat.
      ring = new BoundedLoadRing<>(ids, id -> id, epsilon);
      ringIds = ids;
      routed.keySet().retainAll(byId.keySet());
    }
    // An excluded edge stays on the ring (its counts and everyone else's routes stay put) with no
    // weight and no load: its bound is 0, so its streams go clockwise, where its leaving rotation
    // would send them too.
    Set<String> excluded = byId.keySet().stream().allMatch(asked::contains) ? Set.of() : asked;
    EdgeEntry chosen = byId.get(ring.choose(stream, id -> excluded.contains(id) ? 0 : load(byId.get(id)),
        id -> excluded.contains(id) ? 0 : byId.get(id).registration().capacity(), QUIET_UTILISATION));
    routed.put(chosen.id(), new RoutesSince(chosen.sequence(), routesSince(chosen) + 1));
    return Optional.of(chosen);
  }

  private long load(EdgeEntry entry) {
    return entry.load().connections() + routesSince(entry);
  }

  private long routesSince(EdgeEntry entry) {
    RoutesSince since = routed.get(entry.id());
    return since == null || since.sequence() != entry.sequence() ? 0 : since.count();
  }
}
