package dev.swarmcdn.tracker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.swarmcdn.protocol.tracker.ClientMessage;
import dev.swarmcdn.protocol.tracker.ErrorCode;
import dev.swarmcdn.protocol.tracker.PeerInfo;
import dev.swarmcdn.protocol.tracker.PeerReport;
import dev.swarmcdn.protocol.tracker.ReportReason;
import dev.swarmcdn.protocol.tracker.ServerMessage;
import dev.swarmcdn.protocol.tracker.SignalKind;
import dev.swarmcdn.protocol.tracker.SwarmId;
import dev.swarmcdn.tracker.cluster.ClusterSettings;
import dev.swarmcdn.tracker.steering.Rendezvous;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two tracker instances in one cluster (real Hazelcast members on 127.0.0.1, found by TCP member
 * list, with a cluster name of their own so that no other test's members join): one swarm seen from
 * both, signals across instances, and the peers of an instance that goes disappear from the other.
 */
class TrackerClusterTest {

  private static final SwarmId SWARM = new SwarmId("live", "720p");
  private static final int MAX_PEERS = 3;
  private static final String OFFER = "{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\"}";
  /** Failure detection (HazelcastSetup.SILENT_MEMBER_SECONDS) plus the clean-up, with room to spare. */
  private static final Duration GONE_WITHIN = Duration.ofSeconds(30);

  private RunningTracker east;
  private RunningTracker west;

  @BeforeEach
  void start() throws Exception {
    // A free port can be taken by another process before Hazelcast binds it: try again on new ones.
    for (int attempt = 1; ; attempt++) {
      String name = "test-" + UUID.randomUUID();
      int eastPort = freePort();
      int westPort = freePort();
      List<String> members = List.of("127.0.0.1:" + eastPort, "127.0.0.1:" + westPort);
      try {
        east = RunningTracker.startClustered(config(), new ClusterSettings(name, "127.0.0.1", eastPort, members));
        west = RunningTracker.startClustered(config(), new ClusterSettings(name, "127.0.0.1", westPort, members));
        return;
      } catch (Exception e) {
        stop();
        east = null;
        west = null;
        if (attempt == 3) {
          throw e;
        }
      }
    }
  }


  @AfterEach
  void stop() throws Exception {
    for (RunningTracker tracker : new RunningTracker[] {east, west}) {
      if (tracker != null) {
        tracker.close();
      }
    }
  }

  @Test
  void peersOnTwoInstancesAreMatchedAndSignalEachOther() throws Exception {
    TestPeer alice = east.peer();
    TestPeer bob = west.peer();
    alice.join(SWARM, "edge-1", 2, null);
    ServerMessage.Peers bobsPeers = bob.join(SWARM, "edge-1", 2, null);
    assertEquals(List.of(alice.peerId()), ids(bobsPeers), "bob, on the other instance, is handed alice");

    bob.send(new ClientMessage.Signal(alice.peerId(), SWARM, SignalKind.OFFER, OFFER));
    assertEquals(new ServerMessage.Signal(bob.peerId(), SWARM, SignalKind.OFFER, OFFER),
        alice.next(ServerMessage.Signal.class));
    String answer = "{\"type\":\"answer\",\"sdp\":\"v=0\\r\\n\"}";
    alice.send(new ClientMessage.Signal(bob.peerId(), SWARM, SignalKind.ANSWER, answer));
    assertEquals(new ServerMessage.Signal(alice.peerId(), SWARM, SignalKind.ANSWER, answer),
        bob.next(ServerMessage.Signal.class));

    bob.send(new ClientMessage.Leave(SWARM));
    bob.expectNothingMore();
    alice.send(new ClientMessage.Signal(bob.peerId(), SWARM, SignalKind.OFFER, OFFER));
    alice.expectError(ErrorCode.UNKNOWN_PEER, "signal");
  }

  @Test
  void webTorrentPeersOnTwoInstancesExchangeOfferAndAnswer() throws Exception {
    String torrent = WebTorrentClient.id("torrent");
    String eastId = WebTorrentClient.binary(0xe5, 0x00, 0x80, 0xff, 0x22, 0x5c, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14);
    String westId = WebTorrentClient.id("west-peer");
    WebTorrentClient eastPeer = east.webTorrent();
    eastPeer.start(torrent, eastId, List.of());
    eastPeer.expectReply(torrent);

    WebTorrentClient westPeer = west.webTorrent();
    String offerId = WebTorrentClient.id("offer-1");
    westPeer.start(torrent, westId, List.of(new WebTorrentClient.Offer(offerId, "v=0\r\n")));
    assertEquals(2, westPeer.expectReply(torrent).path("incomplete").asInt(), "the swarm spans both instances");
    JsonNode offer = eastPeer.next();
    assertEquals(westId, offer.path("peer_id").asText());
    assertEquals(offerId, offer.path("offer_id").asText());

    eastPeer.answer(torrent, eastId, westId, offerId, "v=0\r\n");
    JsonNode answer = westPeer.next();
    assertEquals(eastId, answer.path("peer_id").asText(), "binary ids cross the cluster byte for byte");
    assertEquals("answer", answer.path("answer").path("type").asText());
  }

  @Test
  void theReportersInstanceHonoursAReportOfAPeerOnAnotherUntilThatPeerLeaves() throws Exception {
    TestPeer bad = west.peer();
    TestPeer alice = east.peer();
    TestPeer carol = east.peer();
    bad.join(SWARM, "edge-1", 2, null);
    alice.join(SWARM, "edge-1", 2, null);
    carol.join(SWARM, "edge-1", 2, null);

    alice.send(new ClientMessage.Join(SWARM, "edge-1", 2, null, null,
        List.of(new PeerReport(bad.peerId(), ReportReason.INTEGRITY))));
    assertEquals(List.of(carol.peerId()), ids(alice.next(ServerMessage.Peers.class)));
    assertEquals(List.of(carol.peerId()), ids(alice.join(SWARM, "edge-1", 2, null)));
    assertEquals(Set.of(alice.peerId(), bad.peerId()), Set.copyOf(ids(carol.join(SWARM, "edge-1", 2, null))),
        "one report hides a peer from its reporter only");

    // It leaves by way of its own instance: east drops the report when it next lists the swarm, so
    // the same id joining again is a member with a clean slate, as it is on a single tracker.
    bad.send(new ClientMessage.Leave(SWARM));
    bad.expectNothingMore();
    assertEquals(List.of(alice.peerId()), ids(carol.join(SWARM, "edge-1", 2, null)));
    bad.join(SWARM, "edge-1", 2, null);
    assertEquals(Set.of(carol.peerId(), bad.peerId()), Set.copyOf(ids(alice.join(SWARM, "edge-1", 2, null))));
  }

  @Test
  void aFullSwarmIsFullForEveryInstance() throws Exception {
    east.peer().join(SWARM, "edge-1", 2, null);
    west.peer().join(SWARM, "edge-1", 2, null);
    east.peer().join(SWARM, "edge-1", 2, null);
    TestPeer fourth = west.peer();
    fourth.send(new ClientMessage.Join(SWARM, "edge-1", 2, null, null));
    fourth.expectError(ErrorCode.LIMIT_EXCEEDED, "join");
  }

  @Test
  void thePeersOfACrashedInstanceDisappearFromTheOthers() throws Exception {
    TestPeer alice = east.peer();
    TestPeer bob = west.peer();
    alice.join(SWARM, "edge-1", 2, null);
    bob.join(SWARM, "edge-1", 2, null);

    west.crashClusterMember();

    TestPeer carol = east.peer();
    await().atMost(GONE_WITHIN).pollInterval(Duration.ofMillis(250))
        .until(() -> !ids(carol.join(SWARM, "edge-1", 2, null)).contains(bob.peerId()));
    assertTrue(ids(carol.join(SWARM, "edge-1", 2, null)).contains(alice.peerId()), "east's own peers stay");
  }

  private static ClientMessage.Join live(SwarmId swarm) {
    return new ClientMessage.Join(swarm, "edge-1", 2, null, null, List.of(), true, false);
  }

  @Test
  void aLiveSwarmOnTwoInstancesIsSteeredByOneAndItsMembersOnBothAreTold() throws Exception {
    TestPeer alice = east.peer();
    TestPeer bob = west.peer();
    alice.join(live(SWARM));
    bob.join(live(SWARM));
    TestPeer seeder = east.peer();
    seeder.join(new ClientMessage.Join(SWARM, "edge-1", 2, null, null, List.of(), true, true));

    alice.send(new ClientMessage.Have(SWARM, 10));
    ServerMessage.Assign first = alice.next(ServerMessage.Assign.class);
    assertEquals(11, first.sequence());
    assertEquals(first, bob.next(ServerMessage.Assign.class), "the member on the other instance is told the same");
    assertEquals(first, seeder.next(ServerMessage.Assign.class));
    assertEquals(1, first.fetchers().size());
    assertTrue(Set.of(alice.peerId(), bob.peerId()).containsAll(first.fetchers()), "a viewer: " + first);

    // The fetcher reports its segment, wherever it is connected: the other viewer has the next.
    TestPeer fetcher = first.fetchers().get(0).equals(alice.peerId()) ? alice : bob;
    TestPeer other = fetcher == alice ? bob : alice;
    fetcher.send(new ClientMessage.Have(SWARM, 11));
    ServerMessage.Assign second = other.next(ServerMessage.Assign.class);
    assertEquals(new ServerMessage.Assign(SWARM, 12, List.of(other.peerId())), second, "in turn, across instances");
    assertEquals(second, fetcher.next(ServerMessage.Assign.class));
    assertEquals(second, seeder.next(ServerMessage.Assign.class));
    assertEquals(2, assignments(east) + assignments(west), "counted once, by the steering instance");
  }

  @Test
  void whenTheSteeringInstanceGoesTheNextByHashSteers() throws Exception {
    List<String> nodes = List.of(east.clusterNode(), west.clusterNode());
    SwarmId swarm = null;
    for (int i = 0; swarm == null; i++) {
      SwarmId candidate = new SwarmId("live-" + i, "720p");
      if (Rendezvous.owner(candidate, nodes).equals(west.clusterNode())) {
        swarm = candidate;
      }
    }
    TestPeer alice = east.peer();
    TestPeer bob = west.peer();
    alice.join(live(swarm));
    bob.join(live(swarm));
    alice.send(new ClientMessage.Have(swarm, 1));
    assertEquals(2, alice.next(ServerMessage.Assign.class).sequence(), "steered by west");
    assertEquals(0, assignments(east));

    west.crashClusterMember();

    SwarmId steered = swarm;
    long[] newest = {1};
    await().atMost(GONE_WITHIN).pollInterval(Duration.ofMillis(250)).until(() -> {
      boolean assigned = alice.drain().stream().anyMatch(frame -> frame instanceof ServerMessage.Assign assign
          && assign.sequence() > 2 && assign.fetchers().equals(List.of(alice.peerId())));
      if (!assigned) {
        alice.send(new ClientMessage.Have(steered, ++newest[0]));
      }
      return assigned;
    });
    assertTrue(assignments(east) >= 1, "east steers now");
  }

  private static double assignments(RunningTracker tracker) {
    return tracker.registry().get("tracker.assignments").tag("fetcher", "viewer").counter().count();
  }

  @Test
  void anEdgeRegisteredWithOneInstanceIsRoutedAndHeardByTheOther() throws Exception {
    TrackerHttp eastHttp = new TrackerHttp(east.server().baseUrl(), null);
    TrackerHttp westHttp = new TrackerHttp(west.server().baseUrl(), null);
    JsonArray iceServers = new JsonArray().add(new JsonObject().put("urls", new JsonArray().add("stun:edge-1:3478")));
    assertEquals(200, eastHttp.register("edge-1", 100, iceServers).status());

    assertEquals("edge-1", westHttp.routedEdge("demo"));
    assertEquals(iceServers, westHttp.route("demo").json().getJsonArray("iceServers"), "the other instance has them");
    assertEquals(200, westHttp.heartbeat("edge-1", 7).status(), "a heartbeat may reach any instance");
    JsonObject listed = eastHttp.send("GET", "/edges", null).json().getJsonArray("edges").getJsonObject(0);
    assertEquals(7, listed.getLong("connections"));
    assertEquals(iceServers, listed.getJsonArray("iceServers"), "heartbeats keep what the edge registered");
    assertEquals(204, westHttp.send("DELETE", "/edges/edge-1", null).status());
    assertEquals(0, eastHttp.send("GET", "/edges", null).json().getJsonArray("edges").size());
  }

  @Test
  void streamsSumsTheViewersFiguresOfEveryInstance() throws Exception {
    TestPeer alice = east.peer();
    TestPeer bob = west.peer();
    alice.join(SWARM, "edge-1", 2, null);
    bob.join(SWARM, "edge-1", 2, null);
    alice.send(new ClientMessage.Stats(SWARM, 1_000, 0, 0, 0, 0, 0));
    bob.send(new ClientMessage.Stats(SWARM, 2_000, 0, 0, 0, 0, 0));
    alice.expectNothingMoreThan(ServerMessage.Peers.class);
    bob.expectNothingMoreThan(ServerMessage.Peers.class);

    for (RunningTracker asked : new RunningTracker[] {east, west}) {
      JsonObject answer = new TrackerHttp(asked.server().baseUrl(), null).send("GET", TrackerServer.STREAMS_PATH, null).json();
      assertEquals(new JsonObject().put("asked", 2).put("answered", 2), answer.getJsonObject("trackers"));
      JsonObject live = answer.getJsonArray("streams").getJsonObject(0);
      assertEquals(2L, live.getLong("viewers"), "one viewer reporting to each instance: " + answer);
      assertEquals(2L, live.getLong("reports"), answer.encode());
    }
  }

  private static TrackerConfig.Builder config() {
    TrackerLimits defaults = TrackerLimits.DEFAULTS;
    return TrackerConfig.builder().limits(new TrackerLimits(defaults.maxFrameBytes(), defaults.hardFrameBytes(),
        defaults.messagesPerSecond(), defaults.messageBurst(), defaults.maxSwarmsPerConnection(), MAX_PEERS,
        defaults.maxBadFrames(), defaults.maxWriteQueueBytes(), defaults.maxSignalsPerPeerPerSecond()))
        .routing(RoutingConfig.builder().openRegistry().build());
  }

  private static List<String> ids(ServerMessage.Peers peers) {
    return peers.peers().stream().map(PeerInfo::peerId).toList();
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
