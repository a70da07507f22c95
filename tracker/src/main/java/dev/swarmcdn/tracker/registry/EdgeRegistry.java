package dev.swarmcdn.tracker.registry;

import dev.swarmcdn.protocol.registry.EdgeLoad;
import dev.swarmcdn.protocol.registry.EdgeRegistration;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * The edges that serve viewers, their load and whether they are in rotation. Asynchronous, like
 * {@code SwarmDirectory}, so that a registry shared by a cluster of trackers can replace the
 * in-memory one without touching the HTTP endpoints or the router.
 *
 * <p>An edge is {@link EdgeState#HEALTHY} while it has been heard from (registration or heartbeat)
 * within the expiry, {@link EdgeState#MISSING} after that, and healthy again at its next heartbeat.
 * An edge missing for long is forgotten; its next heartbeat is then refused and it registers anew.
 */
public interface EdgeRegistry {

  /**
   * Adds the edge, or replaces the entry of the same id (an edge that restarted), healthy and with no
   * load reported yet.
   *
   * @return fails with {@link RegistryFullException} when a new id finds the registry full
   */
  Future<EdgeEntry> register(EdgeRegistration registration);

  /** Records a heartbeat. Empty when the edge is not registered: it must register. */
  Future<Optional<EdgeEntry>> heartbeat(String id, EdgeLoad load);

  /** Removes the edge; false if it was not registered. */
  Future<Boolean> deregister(String id);

  /** Every edge, in order of id, with its state now. */
  Future<List<EdgeEntry>> edges();

  /** The edges in rotation, in order of id. */
  Future<List<EdgeEntry>> healthy();

  /** Edges in {@code state} as this instance sees them, for gauges. */
  int count(EdgeState state);

  /** A new edge did not fit. */
  final class RegistryFullException extends RuntimeException {
    public RegistryFullException(int max) {
      super("the registry holds its maximum of " + max + " edges", null, false, false);
    }
  }
}
