package dev.swarmcdn.tracker.session;

import dev.swarmcdn.tracker.TrackerLimits;
import dev.swarmcdn.tracker.access.JoinPolicy;
import dev.swarmcdn.tracker.ops.TrackerMetrics;
import dev.swarmcdn.tracker.signal.Relay;
import dev.swarmcdn.tracker.signal.Signalling;
import dev.swarmcdn.tracker.swarm.SwarmDirectory;
import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * What every connection of the tracker shares: the swarms, the relay, the join policy, the limits
 * and the meters.
 */
public record SessionServices(
    Vertx vertx,
    SwarmDirectory directory,
    Relay relay,
    Signalling signalling,
    JoinPolicy joinPolicy,
    TrackerMetrics metrics,
    TrackerLimits limits,
    Duration pingInterval,
    int missedPings) {}
