package dev.swarmcdn.tracker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.protocol.tracker.ClientMessage;
import dev.swarmcdn.protocol.tracker.ErrorCode;
import dev.swarmcdn.protocol.tracker.Locality;
import dev.swarmcdn.protocol.tracker.PeerInfo;
import dev.swarmcdn.protocol.tracker.ServerMessage;
import dev.swarmcdn.protocol.tracker.SwarmId;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A peer's life on the tracker: welcome, join, peer lists, have, leave, and clean-up when it goes. */
class TrackerSessionTest {

  private static final SwarmId SWARM = new SwarmId("demo", "360p");
  private static final SwarmId OTHER_RENDITION = new SwarmId("demo", "720p");

  private RunningTracker tracker;

  @BeforeEach
  void start() throws Exception {
    tracker = RunningTracker.start(TrackerConfig.builder());
  }

  @AfterEach
  void stop() throws Exception {
    tracker.close();
  }

  private static List<String> ids(ServerMessage.Peers peers) {
    return peers.peers().stream().map(PeerInfo::peerId).toList();
  }

  @Test
  void everyConnectionIsWelcomedWithItsOwnIdAndThePingInterval() throws Exception {
    TestPeer a = tracker.peer();
    TestPeer b = tracker.peer();
    assertTrue(a.peerId().matches("[A-Za-z0-9_-]{22}"), a.peerId());
    assertTrue(!a.peerId().equals(b.peerId()));
    assertEquals(2.0, tracker.gauge("tracker.peers.connected"));
  }

  @Test
  void joinAnswersWithTheOtherMembersOfThatSwarmOnly() throws Exception {
    TestPeer a = tracker.peer();
    TestPeer b = tracker.peer();
    TestPeer c = tracker.peer();
    assertEquals(List.of(), a.join(SWARM, "edge-1", 4, null).peers());
    b.join(OTHER_RENDITION, "edge-1", 4, null);
    ServerMessage.Peers forC = c.join(SWARM, "edge-1", 4, 12L);
    assertEquals(SWARM, forC.swarm());
    assertEquals(List.of(new PeerInfo(a.peerId(), Locality.EDGE, null)), forC.peers());
    // Asking again (a second join) refreshes the entry and lists the others, never the asker.
    ServerMessage.Peers forA = a.join(SWARM, "edge-1", 4, 3L);
    assertEquals(List.of(new PeerInfo(c.peerId(), Locality.EDGE, 12L)), forA.peers());
    assertEquals(2.0, tracker.gauge("tracker.swarms"));
    assertEquals(3.0, tracker.gauge("tracker.swarm.members"));
    assertEquals(3.0, tracker.registry().get("tracker.joins").tag("protocol", "swarmcdn").counter().count(),
        "a refresh is not a new join");
  }

  @Test
  void haveIsRecordedAndShowsInLaterLists() throws Exception {
    TestPeer a = tracker.peer();
    TestPeer b = tracker.peer();
    a.join(SWARM, "edge-1", 4, null);
    a.send(new ClientMessage.Have(SWARM, 77));
    a.expectNothingMore();
    assertEquals(List.of(new PeerInfo(a.peerId(), Locality.EDGE, 77L)), b.join(SWARM, "edge-1", 4, null).peers());
  }

  @Test
  void leaveTakesThePeerOutAndTheEmptySwarmDisappears() throws Exception {
    TestPeer a = tracker.peer();
    TestPeer b = tracker.peer();
    a.join(SWARM, "edge-1", 4, null);
    b.join(SWARM, "edge-1", 4, null);
    a.send(new ClientMessage.Leave(SWARM));
    a.expectNothingMore();
    assertEquals(List.of(), b.join(SWARM, "edge-1", 4, null).peers());
    a.send(new ClientMessage.Leave(SWARM));
    a.expectError(ErrorCode.NOT_JOINED, "leave");
    b.send(new ClientMessage.Leave(SWARM));
    b.expectNothingMore();
    assertEquals(0.0, tracker.gauge("tracker.swarms"));
    assertEquals(0.0, tracker.gauge("tracker.swarm.members"));
  }

  @Test
  void aClosedConnectionLeavesEverySwarmItJoined() throws Exception {
    TestPeer a = tracker.peer();
    TestPeer b = tracker.peer();
    a.join(SWARM, "edge-1", 4, null);
    a.join(OTHER_RENDITION, "edge-1", 4, null);
    assertEquals(List.of(a.peerId()), ids(b.join(SWARM, "edge-1", 4, null)));
    a.close();
    await().atMost(Duration.ofSeconds(5)).until(() -> tracker.gauge("tracker.swarm.members") == 1.0);
    assertEquals(List.of(), b.join(SWARM, "edge-1", 4, null).peers());
    assertEquals(1.0, tracker.gauge("tracker.swarms"));
    assertEquals(1.0, tracker.gauge("tracker.peers.connected"));
  }

  @Test
  void pingIsAnsweredWithPong() throws Exception {
    TestPeer a = tracker.peer();
    a.send(new ClientMessage.Ping());
    a.next(ServerMessage.Pong.class);
  }

  @Test
  void operationalEndpointsAnswer() throws Exception {
    TestPeer a = tracker.peer();
    a.join(SWARM, "edge-1", 1, null);
    a.sendRaw("{");
    a.expectError(ErrorCode.MALFORMED, null);
    HttpClient http = HttpClient.newHttpClient();
    String base = tracker.server().baseUrl();
    HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/health"))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, health.statusCode());
    HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(base + "/ready"))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, ready.statusCode());
    assertTrue(ready.body().contains("\"swarms\":1"), ready.body());
    HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    assertTrue(metrics.body().contains("tracker_peers_connected{protocol=\"swarmcdn\"} 1.0"), metrics.body());
    assertTrue(metrics.body().contains("tracker_errors_total{code=\"malformed\",protocol=\"swarmcdn\"} 1.0"),
        metrics.body());
    assertTrue(metrics.body().contains("tracker_relay_latency_seconds_bucket"), "latency is a histogram");
    assertTrue(metrics.body().contains("http_server_requests_seconds_count{method=\"GET\",status=\"2xx\"}"),
        "the operational requests are timed like every server's");
    HttpResponse<String> plainGet = http.send(HttpRequest.newBuilder(URI.create(base + TrackerServer.WEBSOCKET_PATH))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(426, plainGet.statusCode(), "the endpoint speaks WebSocket only");
  }
}
