package dev.swarmcdn.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.swarmcdn.protocol.tracker.ClientMessage;
import dev.swarmcdn.protocol.tracker.ErrorCode;
import dev.swarmcdn.protocol.tracker.Locality;
import dev.swarmcdn.protocol.tracker.PeerInfo;
import dev.swarmcdn.protocol.tracker.ServerMessage;
import dev.swarmcdn.protocol.tracker.SwarmId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Edge seeders over real WebSockets: a seeder join is taken only on a connection whose upgrade
 * carried the edge secret (or from anyone where the registry is open), and seeders with a free
 * slot head every list, marked as seeders.
 */
class SeederJoinTest {

  private static final SwarmId SWARM = new SwarmId("demo", "360p");
  private static final String EDGE_SECRET = "edge-s3cret";
  private static final String JOIN_SECRET = "join-s3cret";
  private static final Map<String, String> WITH_SECRET = Map.of("Authorization", "Bearer " + EDGE_SECRET);

  private RunningTracker tracker;

  @AfterEach
  void stop() throws Exception {
    if (tracker != null) {
      tracker.close();
    }
  }

  private static TrackerConfig.Builder withEdgeSecret() {
    return TrackerConfig.builder().routing(RoutingConfig.builder().edgeSecret(EDGE_SECRET).build());
  }

  static ClientMessage.Join seederJoin(int uploadSlots, Long have) {
    return new ClientMessage.Join(SWARM, "edge-1", uploadSlots, have, null, List.of(), true, true);
  }

  private static ClientMessage.Join viewerJoin(String edge, int uploadSlots, Long have) {
    return new ClientMessage.Join(SWARM, edge, uploadSlots, have, null, List.of(), true, false);
  }

  @Test
  void aSeederWithAFreeSlotHeadsEveryListMarkedAsSeeder() throws Exception {
    tracker = RunningTracker.start(withEdgeSecret());
    TestPeer sameEdge = tracker.peer();
    sameEdge.join(viewerJoin("edge-2", 2, 50L));
    TestPeer seeder = tracker.peer(WITH_SECRET);
    // Every test peer comes from 127.0.0.1: one network.
    assertEquals(List.of(new PeerInfo(sameEdge.peerId(), Locality.NETWORK, 50L, false)),
        seeder.join(seederJoin(4, 49L)).peers(), "a seeder gets a list like anyone");

    TestPeer asker = tracker.peer();
    ServerMessage.Peers list = asker.join(viewerJoin("edge-2", 2, null));
    assertEquals(List.of(new PeerInfo(seeder.peerId(), Locality.NETWORK, 49L, true),
        new PeerInfo(sameEdge.peerId(), Locality.EDGE, 50L, false)), list.peers(),
        "the seeder first, though behind another edge and older");

    // Without a free slot it is a peer like the others: left out while a viewer can serve.
    seeder.join(seederJoin(0, 49L));
    assertEquals(List.of(sameEdge.peerId(), asker.peerId()),
        tracker.peer().join(viewerJoin("edge-2", 2, null)).peers().stream().map(PeerInfo::peerId).toList());
  }

  @Test
  void aSeederJoinWithoutTheEdgeSecretIsRefusedAndChangesNothing() throws Exception {
    tracker = RunningTracker.start(withEdgeSecret());
    TestPeer impostor = tracker.peer();
    impostor.send(seederJoin(4, null));
    ServerMessage.ErrorFrame refused = impostor.expectError(ErrorCode.UNAUTHORIZED, "join");
    assertEquals("seeder joins need the edge secret", refused.message());
    TestPeer wrongSecret = tracker.peer(Map.of("Authorization", "Bearer not-the-secret"));
    wrongSecret.send(seederJoin(4, null));
    wrongSecret.expectError(ErrorCode.UNAUTHORIZED, "join");
    assertEquals(2, tracker.errors("unauthorized"));

    assertEquals(List.of(), tracker.peer().join(viewerJoin("edge-1", 2, null)).peers(), "neither joined");
    // The connection stays, and may join as the viewer it is.
    assertEquals(1, impostor.join(viewerJoin("edge-1", 2, null)).peers().size());
    assertFalse(impostor.isClosed());
  }

  @Test
  void anOpenRegistryTakesSeedersFromAnyoneButTheyStillNeedAJoinToken() throws Exception {
    tracker = RunningTracker.start(TrackerConfig.builder().routing(RoutingConfig.builder().openRegistry().build()));
    TestPeer seeder = tracker.peer();
    seeder.join(seederJoin(4, null));
    assertEquals(List.of(new PeerInfo(seeder.peerId(), Locality.EDGE, null, true)),
        tracker.peer().join(viewerJoin("edge-1", 2, null)).peers());
    tracker.close();

    tracker = RunningTracker.start(TrackerConfig.builder().secret(JOIN_SECRET)
        .routing(RoutingConfig.builder().openRegistry().build()));
    TestPeer open = tracker.peer();
    open.send(seederJoin(4, null));
    open.expectError(ErrorCode.UNAUTHORIZED, "join");
  }

  @Test
  void theEdgeSecretStandsInForAJoinToken() throws Exception {
    tracker = RunningTracker.start(withEdgeSecret().secret(JOIN_SECRET));
    TestPeer seeder = tracker.peer(WITH_SECRET);
    assertEquals(List.of(), seeder.join(seederJoin(4, null)).peers());
    // For its own joins as a viewer it needs one, like anyone.
    seeder.send(viewerJoin("edge-1", 2, null));
    seeder.expectError(ErrorCode.UNAUTHORIZED, "join");
  }
}
