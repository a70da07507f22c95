package dev.swarmcdn.tracker.session;

import dev.swarmcdn.tracker.TrackerLimits;
import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * What every connection of the tracker obeys, whichever protocol it speaks.
 *
 * @param pingInterval how often a peer must be heard from
 * @param missedPings  a connection silent for more than this many intervals is closed
 */
public record ConnectionRules(Vertx vertx, TrackerLimits limits, Duration pingInterval, int missedPings) {}
