package dev.swarmcdn.tracker;

import dev.swarmcdn.protocol.tracker.ServerMessage;
import dev.swarmcdn.tracker.fleet.FleetView;
import dev.swarmcdn.tracker.registry.EdgeRegistry;
import dev.swarmcdn.tracker.registry.LocalEdgeRegistry;
import dev.swarmcdn.tracker.signal.LocalRelay;
import dev.swarmcdn.tracker.steering.SteeringNetwork;
import dev.swarmcdn.tracker.swarm.LocalSwarmDirectory;
import dev.swarmcdn.tracker.swarm.PeerSelector;
import java.util.Objects;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * What a tracker knows that outlives a request: the swarms and relay of our protocol, those of the
 * WebTorrent protocol (kept apart: the two kinds of peers cannot talk to each other), and the edges
 * in rotation. In this process for a tracker on its own ({@link #local}), or shared by a cluster of
 * trackers ({@code cluster} package); the protocol handlers and HTTP endpoints cannot tell which.
 *
 * @param webTorrent relayed frames are WebTorrent JSON text, by the hex of the peer_id
 * @param steering   where our protocol's live swarms are steered and how assignments reach members
 * @param fleet      whose viewers' figures {@code GET /streams} sums: this tracker's or the cluster's
 */
public record TrackerState(SwarmState<ServerMessage.Signal> ours, SwarmState<String> webTorrent, EdgeRegistry edges,
    SteeringNetwork.Factory steering, FleetView.Factory fleet) {

  public TrackerState {
    Objects.requireNonNull(ours, "ours");
    Objects.requireNonNull(webTorrent, "webTorrent");
    Objects.requireNonNull(edges, "edges");
    Objects.requireNonNull(steering, "steering");
    Objects.requireNonNull(fleet, "fleet");
  }

  /** @param nowMillis the clock of edge heartbeats */
  public static TrackerState local(TrackerConfig config, LongSupplier nowMillis) {
    RoutingConfig routing = config.routing();
    return new TrackerState(localSwarms(config), localSwarms(config),
        new LocalEdgeRegistry(routing.heartbeatExpiry(), LocalEdgeRegistry.FORGET_AFTER, routing.maxEdges(), nowMillis),
        SteeringNetwork.LOCAL, FleetView.LOCAL);
  }

  /** Whom peers are handed, the same in every kind of state. */
  public static PeerSelector peerSelector(TrackerConfig config) {
    return new PeerSelector(config.maxPeersListed(), new Random());
  }

  private static <S> SwarmState<S> localSwarms(TrackerConfig config) {
    return new SwarmState<>(new LocalSwarmDirectory(config.limits().maxPeersPerSwarm(), config.hideAfterReports(),
        peerSelector(config)), new LocalRelay<>());
  }
}
