package dev.swarmcdn.tracker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.swarmcdn.protocol.tracker.ClientMessage;
import dev.swarmcdn.protocol.tracker.ErrorCode;
import dev.swarmcdn.protocol.tracker.ServerMessage;
import dev.swarmcdn.protocol.tracker.SwarmId;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Viewers report their counters on the connection they hold; the tracker sums the growth of each
 * viewer's reports per stream and rendition into /metrics and GET /streams, bounded so that a
 * liar moves only its own share, within what a fast honest viewer could.
 */
class ViewerStatsTest {
  private static final SwarmId SWARM = new SwarmId("demo", "360p");

  private final AtomicLong now = new AtomicLong(1_800_000_000_000L);
  private RunningTracker tracker;
  private TrackerHttp http;

  @BeforeEach
  void start() throws Exception {
    tracker = RunningTracker.start(TrackerConfig.builder(), now::get);
    http = new TrackerHttp(tracker.server().baseUrl(), null);
  }

  @AfterEach
  void stop() throws Exception {
    tracker.close();
  }

  private static ClientMessage.Stats stats(long http, long p2p, long seeder, long uploaded, long stalls) {
    return new ClientMessage.Stats(SWARM, http, p2p, seeder, uploaded, stalls, 0);
  }

  private JsonObject streams() throws Exception {
    TrackerHttp.Reply reply = http.send("GET", TrackerServer.STREAMS_PATH, null);
    assertEquals(200, reply.status(), reply.body());
    assertEquals("*", reply.headers().firstValue("Access-Control-Allow-Origin").orElse(""), "open to any page");
    return reply.json();
  }

  /** The figures of the first swarm listed: 360p, before 720p. */
  private JsonObject figures() throws Exception {
    return streams().getJsonArray("streams").getJsonObject(0);
  }

  @Test
  void theGrowthOfEveryViewersReportsIsSummedPerStream() throws Exception {
    TestPeer alice = tracker.peer();
    TestPeer bob = tracker.peer();
    alice.join(SWARM, "edge-1", 2, null);
    bob.join(SWARM, "edge-1", 2, null);
    // The first report of a connection is its baseline: what came before may be another tracker's.
    alice.send(stats(5_000, 1_000, 0, 0, 0));
    bob.send(stats(9_000, 0, 0, 0, 0));
    // Handled (a ping's pong follows them) before the clock moves: each report is stamped on arrival.
    alice.expectNothingMore();
    bob.expectNothingMore();
    now.addAndGet(5_000);
    alice.send(stats(6_000, 4_000, 500, 2_000, 1));
    bob.send(stats(10_000, 3_000, 0, 3_000, 0));
    alice.expectNothingMore();
    bob.expectNothingMore();

    JsonObject demo = figures();
    assertEquals("demo", demo.getString("stream"));
    assertEquals("360p", demo.getString("rendition"));
    assertEquals(new JsonObject().put("http", 2_000L).put("p2p", 6_000L).put("seeder", 500L), demo.getJsonObject("bytes"));
    assertEquals(6_000.0 / 8_500, demo.getDouble("p2pShare"), 1e-9);
    assertEquals(5_000L, demo.getLong("uploaded"));
    assertEquals(1L, demo.getLong("stalls"));
    assertEquals(1.0, tracker.registry().get("tracker.viewer.segment.bytes")
        .tags("stream", "demo", "rendition", "360p", "source", "seeder").counter().count() / 500);
  }

  @Test
  void aLiarMovesOnlyWhatAFastViewerCouldAndCountersThatShrinkAreABaseline() throws Exception {
    TestPeer liar = tracker.peer();
    liar.join(SWARM, "edge-1", 2, null);
    liar.send(stats(0, 0, 0, 0, 0));
    liar.expectNothingMore();
    now.addAndGet(2_000);
    liar.send(stats(0, 1L << 50, 0, 0, 1_000));
    liar.expectNothingMore();
    JsonObject after = figures();
    assertEquals(2 * 125_000_000L, after.getJsonObject("bytes").getLong("p2p"), "two seconds at 1 Gbit/s at most");
    assertEquals(2L, after.getLong("stalls"), "one stall a second at most");
    now.addAndGet(2_000);
    liar.send(stats(0, 10, 0, 0, 0));
    liar.expectNothingMore();
    assertEquals(2 * 125_000_000L, figures().getJsonObject("bytes").getLong("p2p"), "a shrunken counter adds nothing");
  }

  @Test
  void viewersAreTheOpenConnectionsWhoseLatestReportNamedTheSwarm() throws Exception {
    SwarmId hd = new SwarmId("demo", "720p");
    TestPeer alice = tracker.peer();
    TestPeer bob = tracker.peer();
    alice.join(SWARM, "edge-1", 2, null);
    alice.join(hd, "edge-1", 2, null);
    bob.join(SWARM, "edge-1", 2, null);
    alice.send(stats(0, 0, 0, 0, 0));
    bob.send(stats(0, 0, 0, 0, 0));
    alice.expectNothingMoreThan(ServerMessage.Peers.class);
    bob.expectNothingMoreThan(ServerMessage.Peers.class);
    assertEquals(2L, figures().getLong("viewers"));

    // Alice switches rendition: she is a viewer of the other swarm now, not of both.
    now.addAndGet(1_000);
    alice.send(new ClientMessage.Stats(hd, 0, 0, 0, 0, 0, 0));
    alice.expectNothingMoreThan(ServerMessage.Peers.class);
    JsonObject answer = streams();
    assertEquals(1L, answer.getJsonArray("streams").getJsonObject(0).getLong("viewers"), answer.encode());
    assertEquals("720p", answer.getJsonArray("streams").getJsonObject(1).getString("rendition"), answer.encode());
    assertEquals(1L, answer.getJsonArray("streams").getJsonObject(1).getLong("viewers"), answer.encode());
    assertEquals(new JsonObject().put("asked", 1).put("answered", 1), answer.getJsonObject("trackers"));

    bob.close();
    await().atMost(Duration.ofSeconds(10)).until(() -> figures().getLong("viewers") == 0L);
    assertEquals(2L, figures().getLong("reports"), "what bob reported stays in the sums");
  }

  @Test
  void reportsComeAtMostOnceASecondAndOnlyForASwarmJoined() throws Exception {
    TestPeer peer = tracker.peer();
    peer.send(stats(1, 1, 1, 1, 1));
    peer.expectError(ErrorCode.NOT_JOINED, "stats");
    peer.join(SWARM, "edge-1", 2, null);
    peer.send(stats(1, 1, 1, 1, 1));
    peer.expectNothingMore();
    now.addAndGet(500);
    peer.send(stats(2, 2, 2, 2, 1));
    peer.expectError(ErrorCode.RATE_LIMITED, "stats");
  }
}
