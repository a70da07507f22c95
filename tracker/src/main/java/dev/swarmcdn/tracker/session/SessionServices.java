package dev.swarmcdn.tracker.session;

import dev.swarmcdn.protocol.tracker.ServerMessage;
import dev.swarmcdn.tracker.access.JoinPolicy;
import dev.swarmcdn.tracker.fleet.FleetFigures;
import dev.swarmcdn.tracker.ops.PeerReportMetrics;
import dev.swarmcdn.tracker.ops.TrackerMetrics;
import dev.swarmcdn.tracker.signal.Relay;
import dev.swarmcdn.tracker.signal.Signalling;
import dev.swarmcdn.tracker.steering.Steering;
import dev.swarmcdn.tracker.swarm.SwarmDirectory;

/**
 * What every connection of our protocol shares: the connection rules, the swarms, the relay, the
 * join policy, the meters, the steering of live swarms and the viewers' reported figures.
 */
public record SessionServices(
    ConnectionRules rules,
    SwarmDirectory directory,
    Relay<ServerMessage.Signal> relay,
    Signalling<ServerMessage.Signal> signalling,
    JoinPolicy joinPolicy,
    TrackerMetrics metrics,
    PeerReportMetrics reportMetrics,
    Steering steering,
    FleetFigures fleet) {}
