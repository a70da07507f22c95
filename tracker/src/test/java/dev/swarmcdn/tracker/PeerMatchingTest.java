package dev.swarmcdn.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.swarmcdn.protocol.tracker.Locality;
import dev.swarmcdn.protocol.tracker.PeerInfo;
import dev.swarmcdn.protocol.tracker.ServerMessage;
import dev.swarmcdn.protocol.tracker.SwarmId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Peer lists over real connections. Network prefixes come from X-Forwarded-For, which the tracker
 * believes here only because the test configures 127.0.0.1 as a trusted proxy: the same path a
 * deployment behind a load balancer takes.
 */
class PeerMatchingTest {

  private static final SwarmId SWARM = new SwarmId("demo", "360p");

  private RunningTracker tracker;

  @AfterEach
  void stop() throws Exception {
    if (tracker != null) {
      tracker.close();
    }
  }

  private void start(TrackerConfig.Builder config) throws Exception {
    tracker = RunningTracker.start(config.trustedProxies(List.of("127.0.0.1")));
  }

  private static List<String> ids(ServerMessage.Peers peers) {
    return peers.peers().stream().map(PeerInfo::peerId).toList();
  }

  @Test
  void sameEdgeFirstThenSameNetworkThenAnyone() throws Exception {
    start(TrackerConfig.builder());
    TestPeer far = tracker.peerAt("203.0.113.5");
    TestPeer neighbour = tracker.peerAt("198.51.100.7");
    TestPeer sameEdge = tracker.peerAt("192.0.2.200");
    far.join(SWARM, "edge-2", 2, null);
    neighbour.join(SWARM, "edge-2", 2, null);
    sameEdge.join(SWARM, "edge-1", 2, null);

    TestPeer asker = tracker.peerAt("198.51.100.9");
    ServerMessage.Peers list = asker.join(SWARM, "edge-1", 2, null);
    assertEquals(List.of(
        new PeerInfo(sameEdge.peerId(), Locality.EDGE, null),
        new PeerInfo(neighbour.peerId(), Locality.NETWORK, null),
        new PeerInfo(far.peerId(), Locality.ANY, null)), list.peers());
  }

  @Test
  void ipv6NeighboursShareASlash48() throws Exception {
    start(TrackerConfig.builder());
    TestPeer other = tracker.peerAt("2001:db8:aaaa::1");
    TestPeer neighbour = tracker.peerAt("2001:db8:1:ff::7");
    other.join(SWARM, "edge-2", 2, null);
    neighbour.join(SWARM, "edge-2", 2, null);
    ServerMessage.Peers list = tracker.peerAt("2001:db8:1:2::9").join(SWARM, "edge-1", 2, null);
    assertEquals(List.of(neighbour.peerId(), other.peerId()), ids(list));
    assertEquals(Locality.NETWORK, list.peers().get(0).locality());
  }

  @Test
  void aForwardedHeaderFromAnUntrustedSocketIsIgnored() throws Exception {
    tracker = RunningTracker.start(TrackerConfig.builder());
    TestPeer a = tracker.peerAt("198.51.100.7");
    a.join(SWARM, "edge-2", 2, null);
    // Both really come from 127.0.0.1: one /24, whatever the header claims.
    ServerMessage.Peers list = tracker.peerAt("203.0.113.5").join(SWARM, "edge-1", 2, null);
    assertEquals(List.of(new PeerInfo(a.peerId(), Locality.NETWORK, null)), list.peers());
  }

  @Test
  void peersWithoutFreeUploadSlotsAreLeftOutWhileOthersCanServe() throws Exception {
    start(TrackerConfig.builder());
    TestPeer full = tracker.peerAt("198.51.100.7");
    full.join(SWARM, "edge-1", 0, 99L);
    TestPeer free = tracker.peerAt("203.0.113.5");
    free.join(SWARM, "edge-2", 3, null);
    TestPeer asker = tracker.peerAt("198.51.100.9");
    ServerMessage.Peers list = asker.join(SWARM, "edge-1", 0, null);
    assertEquals(List.of(free.peerId()), ids(list), "the closer, fuller peer is not handed out");

    free.join(SWARM, "edge-2", 0, null);
    ServerMessage.Peers nobodyFree = tracker.peerAt("192.0.2.1").join(SWARM, "edge-3", 0, null);
    assertEquals(Set.of(full.peerId(), free.peerId(), asker.peerId()), Set.copyOf(ids(nobodyFree)),
        "when nobody can serve, everyone is listed");
  }

  @Test
  void amongEquallyClosePeersTheNewestHaveComesFirst() throws Exception {
    start(TrackerConfig.builder());
    TestPeer unknown = tracker.peerAt("203.0.113.1");
    TestPeer older = tracker.peerAt("203.0.113.2");
    TestPeer newest = tracker.peerAt("203.0.113.3");
    unknown.join(SWARM, "edge-1", 1, null);
    older.join(SWARM, "edge-1", 1, 40L);
    newest.join(SWARM, "edge-1", 1, 42L);
    ServerMessage.Peers list = tracker.peerAt("192.0.2.1").join(SWARM, "edge-1", 1, null);
    assertEquals(List.of(newest.peerId(), older.peerId(), unknown.peerId()), ids(list));
  }

  @Test
  void theListIsCappedAndKeepsTheBest() throws Exception {
    start(TrackerConfig.builder().maxPeersListed(3));
    for (int i = 0; i < 5; i++) {
      tracker.peerAt("203.0.113." + (i + 1)).join(SWARM, "edge-2", 1, null);
    }
    TestPeer sameEdge = tracker.peerAt("192.0.2.50");
    sameEdge.join(SWARM, "edge-1", 1, null);
    ServerMessage.Peers list = tracker.peerAt("198.51.100.1").join(SWARM, "edge-1", 1, null);
    assertEquals(3, list.peers().size());
    assertEquals(sameEdge.peerId(), list.peers().get(0).peerId());
    Map<Locality, Long> byLocality = list.peers().stream()
        .collect(Collectors.groupingBy(PeerInfo::locality, Collectors.counting()));
    assertEquals(Map.of(Locality.EDGE, 1L, Locality.ANY, 2L), byLocality);
  }
}
