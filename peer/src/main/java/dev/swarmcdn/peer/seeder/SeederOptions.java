package dev.swarmcdn.peer.seeder;

import dev.swarmcdn.kit.http.tls.TlsTrust;
import dev.swarmcdn.protocol.registry.IceServer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How an edge seeder runs.
 *
 * @param trackers           the trackers' {@code ws://} or {@code wss://} URLs, tried in turn (one or more)
 * @param edgeSecret         the edge secret the tracker's registry and seeder joins need, or null
 *                           for a tracker with an open registry
 * @param edgeId             the edge's id, sent in joins
 * @param maxPeers           viewers served at once per swarm (each also one upload slot)
 * @param maxBytesPerSecond  upload of all swarms together, 0 for no cap
 * @param maxCacheBytes      segments kept to serve, over all swarms (copies of the edge's cache)
 * @param idle               a swarm whose playlist no viewer asked for this long is left
 * @param iceServers         the ICE servers the edge offers (its own STUN)
 * @param trust              whom its {@code wss://} connection believes (the edge's {@code --tls-ca})
 */
public record SeederOptions(List<String> trackers, String edgeSecret, String edgeId, int maxPeers, long maxBytesPerSecond,
    long maxCacheBytes, Duration idle, List<IceServer> iceServers, TlsTrust trust) {

  public SeederOptions {
    trust = trust == null ? TlsTrust.JVM : trust;
    trackers = List.copyOf(trackers);
    if (trackers.isEmpty()) {
      throw new IllegalArgumentException("a seeder needs a tracker");
    }
    Objects.requireNonNull(edgeId, "edgeId");
    Objects.requireNonNull(idle, "idle");
    iceServers = List.copyOf(iceServers);
    if (maxPeers < 1 || maxPeers > 1024) {
      throw new IllegalArgumentException("seeder-max-peers must be 1 to 1024, not " + maxPeers);
    }
    if (maxBytesPerSecond < 0) {
      throw new IllegalArgumentException("seeder-max-mbps must not be negative");
    }
    if (maxCacheBytes < 1 << 20) {
      throw new IllegalArgumentException("the seeder needs at least 1 MiB to keep segments in");
    }
  }
}
