package dev.swarmcdn.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.edge.EdgeConfig;
import dev.swarmcdn.edge.EdgeServer;
import dev.swarmcdn.edge.IceConfig;
import dev.swarmcdn.edge.registration.TrackerLink;
import dev.swarmcdn.edge.forwarding.routing.EdgeRing;
import dev.swarmcdn.kit.ops.Observability;
import dev.swarmcdn.tracker.RoutingConfig;
import dev.swarmcdn.tracker.TrackerConfig;
import dev.swarmcdn.tracker.TrackerServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Edges and a tracker, both real, on localhost: an edge registers, heartbeats its load, is routed to,
 * leaves rotation when it dies, deregisters when stopped, rides out a tracker that is down or
 * restarts, and learns the edges it shares its cache with. Every wait is a condition with a bound.
 */
class EdgeTrackerTest {

  private static final String SECRET = "edge-s3cret";
  private static final Duration HEARTBEAT = Duration.ofMillis(100);
  private static final Duration BOUND = Duration.ofSeconds(15);

  /** A server on its own Vert.x, as in its own process. */
  private record Running<S>(S server, Vertx vertx) {}

  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Vertx> started = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (Vertx vertx : started) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static <T> T done(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private Vertx newVertx(Observability observability) {
    Vertx vertx = observability.newVertx(new VertxOptions());
    started.add(vertx);
    return vertx;
  }

  private Running<TrackerServer> tracker(int port, Duration expiry) throws Exception {
    Observability observability = Observability.create();
    Vertx vertx = newVertx(observability);
    TrackerConfig config = TrackerConfig.builder().port(port)
        .routing(RoutingConfig.builder().edgeSecret(SECRET).heartbeatExpiry(expiry).build()).build();
    return new Running<>(done(new TrackerServer(vertx, config, observability).start()), vertx);
  }

  private Running<EdgeServer> edge(String id, String trackerUrl) throws Exception {
    return edge(id, trackerUrl, IceConfig.NONE);
  }

  private Running<EdgeServer> edge(String id, String trackerUrl, IceConfig ice) throws Exception {
    return edge(id, TrackerLink.to(trackerUrl), ice);
  }

  private Running<EdgeServer> edge(String id, TrackerLink trackers, IceConfig ice) throws Exception {
    Observability observability = Observability.create();
    Vertx vertx = newVertx(observability);
    EdgeConfig config = EdgeConfig.builder("http://127.0.0.1:1").id(id).port(0).ice(ice)
        .tracker(trackers.withSecret(SECRET).withHeartbeatInterval(HEARTBEAT)).build();
    return new Running<>(done(new EdgeServer(vertx, config, observability, null).start()), vertx);
  }

  private HttpResponse<String> get(String url, boolean withSecret) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5));
    if (withSecret) {
      request.header("Authorization", "Bearer " + SECRET);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The tracker's view of edge {@code id}, or null when it does not list it. */
  private JsonObject listed(TrackerServer tracker, String id) throws Exception {
    JsonArray edges = new JsonObject(get(tracker.baseUrl() + "/edges", true).body()).getJsonArray("edges");
    return edges.stream().map(JsonObject.class::cast).filter(edge -> edge.getString("id").equals(id))
        .findFirst().orElse(null);
  }

  private String state(TrackerServer tracker, String id) throws Exception {
    JsonObject edge = listed(tracker, id);
    return edge == null ? null : edge.getString("state");
  }

  private static Set<String> memberIds(EdgeServer edge) {
    return edge.peers().stream().map(EdgeRing.Member::id).collect(Collectors.toSet());
  }

  @Test
  void anEdgeRegistersReportsItsLoadAndIsRoutedTo() throws Exception {
    TrackerServer tracker = tracker(0, Duration.ofSeconds(5)).server();
    EdgeServer edge = edge("edge-1", tracker.baseUrl()).server();
    done(edge.registeredWithTracker());
    JsonObject registered = listed(tracker, "edge-1");
    assertEquals(edge.publicUrl(), registered.getString("url"));
    assertEquals(1000, registered.getLong("capacity"));
    assertEquals("healthy", registered.getString("state"));

    // Viewers on keep-alive connections: the next heartbeats carry them and the bytes sent.
    await().atMost(BOUND).pollInterval(Duration.ofMillis(50)).until(() -> {
      assertEquals(200, get(edge.baseUrl() + "/health", false).statusCode());
      JsonObject load = listed(tracker, "edge-1");
      return load.getLong("connections") >= 1 && load.getDouble("egressBytesPerSecond") > 0;
    });

    JsonObject route = new JsonObject(get(tracker.baseUrl() + "/route?stream=demo", false).body());
    assertEquals(edge.publicUrl(), route.getString("edge"));
    assertEquals("edge-1", route.getString("edgeId"));
    assertEquals(new JsonArray(), route.getJsonArray("iceServers"), "an edge without STUN or TURN offers none");
  }

  @Test
  void theRegistrationCarriesTheEdgesIceServersWhichTheRouteHandsOut() throws Exception {
    TrackerServer tracker = tracker(0, Duration.ofSeconds(5)).server();
    IceConfig ice = new IceConfig(0, 1500, null, List.of("turn:turn.example.net:3478?transport=udp"), "viewer", "pw");
    EdgeServer edge = edge("edge-1", tracker.baseUrl(), ice).server();
    done(edge.registeredWithTracker());

    JsonArray offered = new JsonArray(edge.iceServers().toJsonString());
    JsonObject stun = new JsonObject().put("urls", new JsonArray().add("stun:127.0.0.1:" + edge.stunPort()));
    JsonObject turn = new JsonObject().put("urls", new JsonArray().add("turn:turn.example.net:3478?transport=udp"))
        .put("username", "viewer").put("credential", "pw");
    assertEquals(new JsonArray().add(stun).add(turn), offered, "its own STUN on the bound port, then TURN");
    assertEquals(offered, listed(tracker, "edge-1").getJsonArray("iceServers"));
    JsonObject route = new JsonObject(get(tracker.baseUrl() + "/route?stream=demo", false).body());
    assertEquals(offered, route.getJsonArray("iceServers"));
  }

  @Test
  void aDeadEdgeLeavesRotationAndAStoppedOneDeregisters() throws Exception {
    TrackerServer tracker = tracker(0, Duration.ofMillis(500)).server();
    Running<EdgeServer> dying = edge("edge-1", tracker.baseUrl());
    EdgeServer stopping = edge("edge-2", tracker.baseUrl()).server();
    done(dying.server().registeredWithTracker());
    done(stopping.registeredWithTracker());

    // edge-1 dies: its Vert.x goes, and with it every heartbeat, with no goodbye to the tracker.
    done(dying.vertx().close());
    await().atMost(BOUND).pollInterval(Duration.ofMillis(50)).until(() -> "missing".equals(state(tracker, "edge-1")));
    assertEquals("healthy", state(tracker, "edge-2"), "the other edge goes on heartbeating");
    for (int stream = 0; stream < 20; stream++) {
      JsonObject route = new JsonObject(get(tracker.baseUrl() + "/route?stream=s" + stream, false).body());
      assertEquals("edge-2", route.getString("edgeId"));
    }

    done(stopping.stop());
    assertEquals(null, listed(tracker, "edge-2"), "deregistered on a clean stop");
    assertEquals(503, get(tracker.baseUrl() + "/route?stream=demo", false).statusCode(),
        "no edge left and no origin configured");
  }

  @Test
  void anEdgeServesWhileTheTrackerIsDownAndRegistersWhenItComesBackOrRestarts() throws Exception {
    Running<TrackerServer> first = tracker(0, Duration.ofSeconds(5));
    int port = first.server().port();
    String trackerUrl = first.server().baseUrl();
    done(first.server().stop());

    EdgeServer edge = edge("edge-1", trackerUrl).server();
    assertEquals(200, get(edge.baseUrl() + "/health", false).statusCode(), "serving does not wait for the tracker");
    assertTrue(!edge.registeredWithTracker().isComplete());

    TrackerServer second = tracker(port, Duration.ofSeconds(5)).server();
    await().atMost(BOUND).pollInterval(Duration.ofMillis(50)).until(() -> "healthy".equals(state(second, "edge-1")));
    done(second.stop());

    // A restarted tracker has forgotten every edge: the heartbeat's 404 makes the edge register again.
    TrackerServer third = tracker(port, Duration.ofSeconds(5)).server();
    await().atMost(BOUND).pollInterval(Duration.ofMillis(50)).until(() -> "healthy".equals(state(third, "edge-1")));
  }

  @Test
  void edgesLearnTheSetSharingTheCacheFromTheTracker() throws Exception {
    TrackerServer tracker = tracker(0, Duration.ofMillis(500)).server();
    EdgeServer one = edge("edge-1", tracker.baseUrl()).server();
    Running<EdgeServer> two = edge("edge-2", tracker.baseUrl());
    await().atMost(BOUND).pollInterval(Duration.ofMillis(50))
        .until(() -> memberIds(one).equals(Set.of("edge-1", "edge-2"))
            && memberIds(two.server()).equals(Set.of("edge-1", "edge-2")));
    assertTrue(one.peers().contains(new EdgeRing.Member("edge-2", two.server().publicUrl())));

    done(two.vertx().close());
    await().atMost(BOUND).pollInterval(Duration.ofMillis(50)).until(() -> memberIds(one).equals(Set.of("edge-1")));
  }

  @Test
  void anEdgeGivenSeveralTrackersMovesToTheNextWhenItsTrackerDies() throws Exception {
    Running<TrackerServer> first = tracker(0, Duration.ofSeconds(10));
    TrackerServer second = tracker(0, Duration.ofSeconds(10)).server();
    EdgeServer edge = edge("edge-1", TrackerLink.to(first.server().baseUrl(), second.baseUrl()), IceConfig.NONE).server();
    done(edge.registeredWithTracker());
    assertTrue(listed(first.server(), "edge-1") != null, "registered with the first");
    assertEquals(null, listed(second, "edge-1"), "not with the second while the first answers");

    first.vertx().close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    // Heartbeats to the dead tracker fail; the next one does not know the edge (404): it registers there.
    await().atMost(BOUND).until(() -> listed(second, "edge-1") != null);
    JsonObject route = new JsonObject(get(second.baseUrl() + "/route?stream=demo", false).body());
    assertEquals(edge.publicUrl(), route.getString("edge"), route.encode());
  }
}
