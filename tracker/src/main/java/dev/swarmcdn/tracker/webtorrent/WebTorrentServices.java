package dev.swarmcdn.tracker.webtorrent;

import dev.swarmcdn.tracker.ops.TrackerMetrics;
import dev.swarmcdn.tracker.session.ConnectionRules;
import dev.swarmcdn.tracker.signal.LocalRelay;
import dev.swarmcdn.tracker.signal.Relay;
import dev.swarmcdn.tracker.signal.Signalling;
import dev.swarmcdn.tracker.swarm.LocalSwarmDirectory;
import dev.swarmcdn.tracker.swarm.PeerSelector;
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

  /** One instance's swarms and connections, in memory. */
  public static WebTorrentServices inMemory(ConnectionRules rules, MeterRegistry registry, PeerSelector selector,
      int maxOffers, Duration interval) {
    SwarmDirectory directory = new LocalSwarmDirectory(rules.limits().maxPeersPerSwarm(), selector);
    TrackerMetrics metrics = new TrackerMetrics(registry, directory, TrackerMetrics.WEBTORRENT);
    LocalRelay<String> relay = new LocalRelay<>();
    return new WebTorrentServices(rules, directory, relay, new Signalling<>(directory, relay, metrics), metrics,
        new WebTorrentMetrics(registry), maxOffers, (int) interval.toSeconds());
  }
}
