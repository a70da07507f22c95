package dev.swarmcdn.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.protocol.tracker.ClientMessage;
import dev.swarmcdn.protocol.tracker.PeerInfo;
import dev.swarmcdn.protocol.tracker.ServerMessage;
import dev.swarmcdn.protocol.tracker.SwarmId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Steering over real WebSockets: live viewers, a VOD viewer and an edge seeder in one swarm; a
 * report of a new segment gets every live member and the seeder one assign frame for the next.
 * Everything a HAVE causes is queued while the tracker handles it, so once its sender has the pong
 * of a ping sent after it, every other connection has whatever it was sent, and a ping there proves
 * it was sent nothing more.
 */
class SteeringTest {

  private static final SwarmId SWARM = new SwarmId("live", "360p");
  private static final String EDGE_SECRET = "edge-s3cret";

  private RunningTracker tracker;
  private TestPeer a;
  private TestPeer b;
  private TestPeer c;
  private TestPeer vod;
  private TestPeer seeder;

  @AfterEach
  void stop() throws Exception {
    if (tracker != null) {
      tracker.close();
    }
  }

  private void start(int fetchers) throws Exception {
    tracker = RunningTracker.start(TrackerConfig.builder().steerFetchers(fetchers)
        .routing(RoutingConfig.builder().edgeSecret(EDGE_SECRET).build()));
    a = tracker.peer();
    b = tracker.peer();
    c = tracker.peer();
    vod = tracker.peer();
    seeder = tracker.peer(Map.of("Authorization", "Bearer " + EDGE_SECRET));
    seeder.join(seederJoin(4, null));
    for (TestPeer viewer : List.of(a, b, c)) {
      viewer.join(live(2, null));
    }
    vod.join(new ClientMessage.Join(SWARM, "edge-1", 2, null, null));
  }

  private static ClientMessage.Join live(int uploadSlots, Long have) {
    return new ClientMessage.Join(SWARM, "edge-1", uploadSlots, have, null, List.of(), true, false);
  }

  private static ClientMessage.Join seederJoin(int uploadSlots, Long have) {
    return new ClientMessage.Join(SWARM, "edge-1", uploadSlots, have, null, List.of(), true, true);
  }

  private List<TestPeer> steered() {
    return List.of(a, b, c, seeder);
  }

  /** {@code reporter} reports {@code newest}; every steered member gets the same assign for the next. */
  private ServerMessage.Assign reportAndExpectAssign(TestPeer reporter, long newest) throws Exception {
    reporter.send(new ClientMessage.Have(SWARM, newest));
    return expectAssign(newest + 1);
  }

  private ServerMessage.Assign expectAssign(long sequence) throws Exception {
    ServerMessage.Assign first = null;
    for (TestPeer peer : steered()) {
      ServerMessage.Assign assign = peer.next(ServerMessage.Assign.class);
      assertEquals(SWARM, assign.swarm());
      assertEquals(sequence, assign.sequence());
      if (first == null) {
        first = assign;
      }
      assertEquals(first, assign, "one assignment, the same for all");
    }
    vod.expectNothingMore();
    return first;
  }

  /** Once the reporter's ping is answered, nobody was sent anything. */
  private void expectNoAssign(TestPeer reporter) throws Exception {
    reporter.expectNothingMore();
    for (TestPeer peer : List.of(a, b, c, vod, seeder)) {
      if (peer != reporter) {
        peer.expectNothingMore();
      }
    }
  }

  private double assignments(String fetcher) {
    return tracker.registry().get("tracker.assignments").tag("fetcher", fetcher).counter().count();
  }

  private Set<String> viewerIds() {
    return Set.of(a.peerId(), b.peerId(), c.peerId());
  }

  @Test
  void aNewSegmentIsAssignedToOneViewerAndEveryLiveMemberAndTheSeederAreTold() throws Exception {
    start(1);
    List<PeerInfo> list = tracker.peer().join(live(2, null)).peers();
    assertEquals(new PeerInfo(seeder.peerId(), list.get(0).locality(), null, true), list.get(0),
        "the seeder heads the list, marked");
    assertTrue(list.stream().skip(1).noneMatch(PeerInfo::seeder));

    ServerMessage.Assign first = reportAndExpectAssign(b, 41);
    assertEquals(1, first.fetchers().size());
    assertTrue(viewerIds().contains(first.fetchers().get(0)), "a viewer, not the seeder: " + first);

    // More reports of what is assigned already change nothing.
    c.send(new ClientMessage.Have(SWARM, 41));
    vod.send(new ClientMessage.Have(SWARM, 500));
    expectNoAssign(c);

    // The fetcher reports its segment: the next goes to another viewer, in turn.
    TestPeer fetcher = byId(first.fetchers().get(0));
    ServerMessage.Assign second = reportAndExpectAssign(fetcher, 42);
    assertNotEquals(first.fetchers(), second.fetchers());
    assertTrue(viewerIds().containsAll(second.fetchers()));

    // A join carrying a newer segment reports it too.
    a.send(live(2, 43L));
    a.next(ServerMessage.Peers.class);
    ServerMessage.Assign third = expectAssign(44);
    assertEquals(3, Set.copyOf(List.of(first.fetchers().get(0), second.fetchers().get(0), third.fetchers().get(0)))
        .size(), "three segments, three viewers");
    assertEquals(3, assignments("viewer"));
    assertEquals(0, assignments("seeder"));
  }

  @Test
  void withNoViewerToNameTheSeederFetches() throws Exception {
    start(1);
    for (TestPeer viewer : List.of(a, b, c)) {
      viewer.join(live(0, null));
    }
    ServerMessage.Assign assign = reportAndExpectAssign(a, 10);
    assertEquals(List.of(seeder.peerId()), assign.fetchers());
    assertEquals(1, assignments("seeder"));

    // With the seeder gone too, nobody is named: no assign, counted as skipped.
    seeder.send(new ClientMessage.Leave(SWARM));
    seeder.expectNothingMore();
    b.send(new ClientMessage.Have(SWARM, 11));
    b.expectNothingMore();
    for (TestPeer peer : List.of(a, c, vod)) {
      peer.expectNothingMore();
    }
    assertEquals(1, tracker.registry().get("tracker.assignments.skipped").counter().count());
  }

  @Test
  void kViewersPerSegment() throws Exception {
    start(2);
    ServerMessage.Assign assign = reportAndExpectAssign(c, 7);
    assertEquals(2, assign.fetchers().size());
    assertTrue(viewerIds().containsAll(assign.fetchers()));
  }

  @Test
  void withSteeringOffNoAssignIsSent() throws Exception {
    start(0);
    a.send(new ClientMessage.Have(SWARM, 41));
    expectNoAssign(a);
    b.send(live(2, 42L));
    b.next(ServerMessage.Peers.class);
    expectNoAssign(b);
    assertEquals(0, assignments("viewer") + assignments("seeder"));
  }

  private TestPeer byId(String peerId) {
    return steered().stream().filter(peer -> peer.peerId().equals(peerId)).findFirst().orElseThrow();
  }
}
