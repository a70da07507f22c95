package dev.swarmcdn.tracker.session;

import dev.swarmcdn.tracker.TrackerLimits;
import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * What every connection of the tracker obeys, whichever protocol it speaks: the limits, the message
 * rate, the rate of signals relayed to each, and the one watch that times their silence.
 *
 * @param pingInterval how often a peer must be heard from
 * @param missedPings  a connection silent for more than this many intervals is closed
 */
public record ConnectionRules(Vertx vertx, TrackerLimits limits, Duration pingInterval, int missedPings,
    SilenceWatch silence, MessageRate rate, MessageRate signalRate) {

  public ConnectionRules(Vertx vertx, TrackerLimits limits, Duration pingInterval, int missedPings) {
    this(vertx, limits, pingInterval, missedPings, new SilenceWatch(vertx, pingInterval),
        new MessageRate(limits.messagesPerSecond(), limits.messageBurst()),
        // A second's worth at once: a peer is sent its new neighbours' signals in a burst.
        new MessageRate(limits.maxSignalsPerPeerPerSecond(), limits.maxSignalsPerPeerPerSecond()));
  }
}
