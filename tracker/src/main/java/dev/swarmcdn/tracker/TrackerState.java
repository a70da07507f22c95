package dev.swarmcdn.tracker;

import dev.swarmcdn.tracker.registry.EdgeRegistry;
import dev.swarmcdn.tracker.registry.LocalEdgeRegistry;
import dev.swarmcdn.tracker.signal.LocalRelay;
import dev.swarmcdn.tracker.signal.Relay;
import dev.swarmcdn.tracker.swarm.LocalSwarmDirectory;
import dev.swarmcdn.tracker.swarm.PeerSelector;
import dev.swarmcdn.tracker.swarm.SwarmDirectory;
import java.util.Objects;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * What a tracker knows that outlives a request: who is in which swarm, how a signal reaches a
 * peer's connection, and which edges are in rotation. In this process for a tracker on its own
 * ({@link #local}), or shared by a cluster of trackers ({@code cluster} package); the protocol
 * handlers and HTTP endpoints cannot tell which.
 */
public record TrackerState(SwarmDirectory directory, Relay relay, EdgeRegistry edges) {

  public TrackerState {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(relay, "relay");
    Objects.requireNonNull(edges, "edges");
  }

  /** @param nowMillis the clock of edge heartbeats */
  public static TrackerState local(TrackerConfig config, LongSupplier nowMillis) {
    RoutingConfig routing = config.routing();
    return new TrackerState(new LocalSwarmDirectory(config.limits().maxPeersPerSwarm(), peerSelector(config)),
        new LocalRelay(),
        new LocalEdgeRegistry(routing.heartbeatExpiry(), LocalEdgeRegistry.FORGET_AFTER, routing.maxEdges(), nowMillis));
  }

  /** Whom peers are handed, the same in every kind of state. */
  public static PeerSelector peerSelector(TrackerConfig config) {
    return new PeerSelector(config.maxPeersListed(), new Random());
  }
}
