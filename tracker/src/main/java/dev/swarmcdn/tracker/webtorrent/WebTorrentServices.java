package dev.swarmcdn.tracker.webtorrent;

import dev.swarmcdn.tracker.SwarmState;
import dev.swarmcdn.tracker.ops.TrackerMetrics;
import dev.swarmcdn.tracker.session.ConnectionRules;
import dev.swarmcdn.tracker.signal.Relay;
import dev.swarmcdn.tracker.signal.Signalling;
import dev.swarmcdn.tracker.swarm.SwarmDirectory;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;

/**
 * What every WebTorrent connection shares. Its swarms live in a directory and its peers in a relay
 * of their own: WebTorrent clients and our own peers speak different peer-to-peer protocols, so
 * neither is ever handed the other, and a WebTorrent {@code peer_id} (chosen by the client) can
 * never collide with one of ours (chosen by the tracker).
 *
 * @param relay           relayed frames, already in WebTorrent's JSON, by the hex of the peer_id
 * @param maxOffers       offers relayed per announce at most, whatever the client asks
 * @param intervalSeconds the {@code interval} told to clients
 */
public record WebTorrentServices(
    ConnectionRules rules,
    SwarmDirectory directory,
    Relay<String> relay,
    Signalling<String> signalling,
    TrackerMetrics metrics,
    WebTorrentMetrics protocolMetrics,
    int maxOffers,
    int intervalSeconds) {

  /** Over {@code state}: this instance's swarms and connections, or those of a cluster. */
  public static WebTorrentServices over(SwarmState<String> state, ConnectionRules rules, MeterRegistry registry,
      int maxOffers, Duration interval) {
    SwarmDirectory directory = state.directory();
    TrackerMetrics metrics = new TrackerMetrics(registry, directory, TrackerMetrics.WEBTORRENT);
    return new WebTorrentServices(rules, directory, state.relay(), new Signalling<>(directory, state.relay(), metrics),
        metrics, new WebTorrentMetrics(registry), maxOffers, (int) interval.toSeconds());
  }
}
