package dev.swarmcdn.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.protocol.access.AccessToken;
import dev.swarmcdn.protocol.registry.IceServer;
import dev.swarmcdn.protocol.tracker.ClientMessage;
import dev.swarmcdn.protocol.tracker.ServerMessage;
import dev.swarmcdn.protocol.tracker.SwarmId;
import dev.swarmcdn.tracker.TrackerHttp.Reply;
import dev.swarmcdn.tracker.registry.EdgeEndpoints;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The edge registry and /route over real HTTP on localhost. */
class EdgeRoutingApiTest {

  private static final String ORIGIN = "http://origin.example:8080";
  /** A registry anyone may use: the tests of the API itself. */
  private static final RoutingConfig OPEN = RoutingConfig.builder().openRegistry().build();

  private RunningTracker tracker;

  private TrackerHttp start(TrackerConfig.Builder config, String edgeSecret) throws Exception {
    tracker = RunningTracker.start(config);
    return new TrackerHttp(tracker.server().baseUrl(), edgeSecret);
  }

  private TrackerHttp start(RoutingConfig routing) throws Exception {
    return start(TrackerConfig.builder().routing(routing), routing.edgeSecret());
  }

  @AfterEach
  void stop() throws Exception {
    if (tracker != null) {
      tracker.close();
    }
  }

  private static void assertJsonError(Reply reply, int status, String error) {
    assertEquals(status, reply.status(), reply.body());
    assertEquals("application/json", reply.headers().firstValue("Content-Type").orElse(""));
    assertEquals(error, reply.error(), reply.body());
    assertFalse(reply.json().getString("message").isBlank());
  }

  @Test
  void anEdgeRegistersHeartbeatsIsListedAndDeregisters() throws Exception {
    TrackerHttp http = start(OPEN);
    Reply registered = http.register("edge-1", 500);
    assertEquals(200, registered.status(), registered.body());
    assertEquals("healthy", registered.json().getJsonObject("edge").getString("state"));
    assertEquals(15_000, registered.json().getLong("expiryMs"));
    assertEquals(new JsonArray().add(new JsonObject().put("id", "edge-1").put("url", "http://edge-1.example:8081")),
        registered.json().getJsonArray("edges"), "the edges in rotation, for owner routing");

    http.register("edge-2", 500);
    Reply beat = http.heartbeat("edge-1", 42);
    assertEquals(200, beat.status(), beat.body());
    assertEquals(2, beat.json().getJsonArray("edges").size());

    JsonObject listed = http.send("GET", "/edges", null).json().getJsonArray("edges").getJsonObject(0);
    assertEquals("edge-1", listed.getString("id"));
    assertEquals(500, listed.getLong("capacity"));
    assertEquals(42, listed.getLong("connections"));
    assertEquals(125_000.5, listed.getDouble("egressBytesPerSecond"));
    assertEquals(0.75, listed.getDouble("hitRatio"));
    assertEquals("healthy", listed.getString("state"));

    assertEquals(204, http.send("DELETE", "/edges/edge-1", null).status());
    assertJsonError(http.heartbeat("edge-1", 1), 404, "unknown_edge");
    assertJsonError(http.send("DELETE", "/edges/edge-1", null), 404, "unknown_edge");
    assertEquals(1, http.send("GET", "/edges", null).json().getJsonArray("edges").size());
  }

  @Test
  void badInputIsRefusedWith400AndItsReason() throws Exception {
    TrackerHttp http = start(OPEN);
    List<String> registrations = List.of(
        "not json",
        "[1, 2]",
        "{\"id\": \"e\", \"id\": \"f\", \"url\": \"http://a\", \"capacity\": 1}",
        "{\"id\": \"e\", \"url\": \"http://a\"}",
        "{\"id\": \"e\", \"url\": \"http://a\", \"capacity\": \"10\"}",
        "{\"id\": \"e\", \"url\": \"http://a\", \"capacity\": 1.5}",
        "{\"id\": \"e\", \"url\": \"http://a\", \"capacity\": 0}",
        "{\"id\": \"e/1\", \"url\": \"http://a\", \"capacity\": 1}",
        "{\"id\": \"e\", \"url\": \"javascript:alert(1)\", \"capacity\": 1}",
        "{\"id\": \"e\", \"url\": \"http://a\", \"capacity\": 1} {}");
    for (String body : registrations) {
      assertJsonError(http.send("POST", "/edges", body), 400, "bad_request");
    }
    assertEquals(200, http.send("POST", "/edges", "{\"id\": \"e\", \"url\": \"http://a/\", \"capacity\": 4.0,"
        + " \"region\": \"eu\"}").status(), "4.0 is an integer; unknown fields are ignored");
    for (String body : List.of("{}", "{\"connections\": -1, \"egressBytesPerSecond\": 0, \"hitRatio\": 0}",
        "{\"connections\": 1, \"egressBytesPerSecond\": 0, \"hitRatio\": 1.01}")) {
      assertJsonError(http.send("PUT", "/edges/e/heartbeat", body), 400, "bad_request");
    }
    assertJsonError(http.route(""), 400, "bad_request");
    assertJsonError(http.route(".."), 400, "bad_request");
    assertJsonError(http.route("a%2Fb"), 400, "bad_request");
    assertJsonError(http.send("GET", "/route", null), 400, "bad_request");
  }

  @Test
  void oversizedBodiesAreRefusedUnread() throws Exception {
    TrackerHttp http = start(OPEN);
    String padded = "{\"id\": \"e\", \"url\": \"http://a\", \"capacity\": 1, \"pad\": \""
        + "x".repeat(EdgeEndpoints.MAX_BODY_BYTES) + "\"}";
    assertJsonError(http.send("POST", "/edges", padded), 413, "too_large");
    assertEquals(0, http.send("GET", "/edges", null).json().getJsonArray("edges").size());
  }

  @Test
  void withNeitherAnEdgeSecretNorAnOpeningTheRegistryIsClosedToAll() throws Exception {
    // Once open by default: anyone could put a fake edge in rotation and poison the real ones.
    TrackerHttp stranger = start(RoutingConfig.DEFAULTS);
    Reply refused = stranger.register("edge-1", 10);
    assertJsonError(refused, 401, "unauthorized");
    assertEquals("the edge registry is closed: this tracker has no edge secret", refused.json().getString("message"));
    assertJsonError(new TrackerHttp(tracker.server().baseUrl(), "guess").heartbeat("edge-1", 1), 401, "unauthorized");
    assertJsonError(stranger.send("GET", "/edges", null), 401, "unauthorized");
    assertTrue(stranger.route("demo").status() >= 500, "no edge, no origin: nothing to route to");
  }

  @Test
  void anEdgeSecretAndAnOpenRegistryExcludeEachOther() {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> RoutingConfig.builder().edgeSecret("s").openRegistry().build());
    assertTrue(refused.getMessage().contains("--edge-secret and --open-registry"), refused.getMessage());
  }

  @Test
  void withAnEdgeSecretOnlyItsHoldersManageTheRegistry() throws Exception {
    TrackerHttp http = start(RoutingConfig.builder().edgeSecret("edge-s3cret").build());
    String base = tracker.server().baseUrl();
    TrackerHttp stranger = new TrackerHttp(base, null);
    TrackerHttp guesser = new TrackerHttp(base, "guess");
    assertJsonError(stranger.register("edge-1", 10), 401, "unauthorized");
    assertJsonError(guesser.register("edge-1", 10), 401, "unauthorized");
    assertEquals("Bearer", guesser.register("edge-1", 10).headers().firstValue("WWW-Authenticate").orElse(""));
    assertJsonError(stranger.send("GET", "/edges", null), 401, "unauthorized");
    assertEquals(200, http.register("edge-1", 10).status());
    assertJsonError(stranger.heartbeat("edge-1", 1), 401, "unauthorized");
    assertJsonError(stranger.send("DELETE", "/edges/edge-1", null), 401, "unauthorized");
    assertEquals(200, http.heartbeat("edge-1", 1).status());
    // Viewers need no secret to be routed.
    assertEquals("edge-1", stranger.routedEdge("demo"));
  }

  @Test
  void withNoHealthyEdgeViewersGoToTheOriginAndAreToldSo() throws Exception {
    TrackerHttp http = start(RoutingConfig.builder().openRegistry().origin(ORIGIN).build());
    JsonObject route = http.route("demo").json();
    assertEquals(ORIGIN, route.getString("edge"));
    assertTrue(route.getBoolean("fallback"));
    assertEquals("no healthy edge", route.getString("reason"));
    assertEquals(tracker.server().webSocketUrl(), route.getString("tracker"));
    assertEquals(new JsonArray(), route.getJsonArray("iceServers"), "the origin offers no ICE servers");
    assertNull(route.getValue("tokens"), "no secrets, no tokens");

    http.register("edge-1", 10);
    route = http.route("demo").json();
    assertEquals("http://edge-1.example:8081", route.getString("edge"));
    assertEquals("edge-1", route.getString("edgeId"));
    assertFalse(route.getBoolean("fallback"));
    assertNull(route.getValue("reason"));

    String metrics = http.send("GET", "/metrics", null).body();
    assertTrue(metrics.contains("tracker_route_fallbacks_total 1.0"), metrics);
    assertTrue(metrics.contains("tracker_routes_total{edge=\"edge-1\"} 1.0"), metrics);
    assertTrue(metrics.contains("tracker_edges{state=\"healthy\"} 1.0"), metrics);
    assertTrue(metrics.contains("tracker_edges{state=\"missing\"} 0.0"), metrics);
  }

  @Test
  void aViewerExcludingTheEdgeItSawFailIsRoutedElsewhereAndBadExclusionsAreRefused() throws Exception {
    TrackerHttp http = start(RoutingConfig.builder().openRegistry().origin(ORIGIN).build());
    http.register("edge-1", 10);
    http.register("edge-2", 10);
    String home = http.routedEdge("demo");
    JsonObject moved = http.send("GET", "/route?stream=demo&exclude=" + home, null).json();
    assertNotEquals(home, moved.getString("edgeId"));
    assertFalse(moved.getBoolean("fallback"));
    JsonObject both = http.send("GET", "/route?stream=demo&exclude=edge-1,edge-2", null).json();
    assertEquals(home, both.getString("edgeId"), "no other edge: the exclusion is ignored, not the origin");
    for (String bad : List.of("", "edge-1,", "edge 1", "a,b,c,d,e,f,g,h,i")) {
      assertJsonError(http.send("GET", "/route?stream=demo&exclude=" + bad.replace(" ", "%20"), null), 400,
          "bad_request");
    }
  }

  private static final JsonArray EDGE_1_ICE = new JsonArray()
      .add(new JsonObject().put("urls", new JsonArray().add("stun:edge-1.example:3478")))
      .add(new JsonObject().put("urls", new JsonArray().add("turn:turn.example:3478?transport=udp")
          .add("turns:turn.example:5349")).put("username", "viewer").put("credential", "s3cret"));

  @Test
  void theRouteCarriesTheIceServersOfTheChosenEdge() throws Exception {
    TrackerHttp http = start(OPEN);
    Reply registered = http.register("edge-1", 10, EDGE_1_ICE);
    assertEquals(200, registered.status(), registered.body());
    assertEquals(EDGE_1_ICE, registered.json().getJsonObject("edge").getJsonArray("iceServers"));
    // A single url as a string, as RTCIceServer allows: handed out as an array like every other.
    assertEquals(200, http.register("edge-2", 10, new JsonArray()
        .add(new JsonObject().put("urls", "stun:edge-2.example:3478").put("note", "dropped"))).status());
    assertEquals(200, http.register("edge-3", 10).status());

    JsonArray listed = http.send("GET", "/edges", null).json().getJsonArray("edges");
    assertEquals(EDGE_1_ICE, listed.getJsonObject(0).getJsonArray("iceServers"));
    JsonArray edge2Ice = new JsonArray()
        .add(new JsonObject().put("urls", new JsonArray().add("stun:edge-2.example:3478")));
    assertEquals(edge2Ice, listed.getJsonObject(1).getJsonArray("iceServers"));
    assertEquals(new JsonArray(), listed.getJsonObject(2).getJsonArray("iceServers"), "registered without any");

    // Each stream's route names one edge; its answer carries that edge's list, whichever it is.
    Map<String, JsonArray> expected = Map.of("edge-1", EDGE_1_ICE, "edge-2", edge2Ice,
        "edge-3", new JsonArray());
    Set<String> seen = new HashSet<>();
    for (int stream = 0; stream < 60 && seen.size() < 3; stream++) {
      JsonObject route = http.route("s" + stream).json();
      String edge = route.getString("edgeId");
      seen.add(edge);
      assertEquals(expected.get(edge), route.getJsonArray("iceServers"), route.encode());
    }
    assertEquals(3, seen.size(), "streams spread over the three edges");

    // Registering again replaces the list, as it replaces the rest of the registration.
    http.register("edge-1", 10);
    assertEquals(new JsonArray(), http.send("GET", "/edges", null).json().getJsonArray("edges").getJsonObject(0)
        .getJsonArray("iceServers"));
  }

  @Test
  void withTurnConfiguredEachRouteCarriesTheRelayWithCredentialsMintedForThatViewerAlone() throws Exception {
    List<String> relay = List.of("turn:turn.example:3478?transport=udp");
    TurnConfig turn = new TurnConfig(relay, "north-wind", java.time.Duration.ofMinutes(10));
    TrackerHttp http = start(RoutingConfig.builder().openRegistry().origin(ORIGIN).turn(turn).build());
    long before = System.currentTimeMillis() / 1000;
    JsonArray fallback = http.route("demo").json().getJsonArray("iceServers");
    assertEquals(1, fallback.size(), "the relay is offered with the origin too: " + fallback.encode());

    http.register("edge-1", 10, EDGE_1_ICE);
    JsonArray first = http.route("demo").json().getJsonArray("iceServers");
    JsonArray second = http.route("demo").json().getJsonArray("iceServers");
    assertEquals(EDGE_1_ICE.size() + 1, first.size(), "the edge's servers, then the relay: " + first.encode());
    assertEquals(EDGE_1_ICE, new JsonArray(first.getList().subList(0, EDGE_1_ICE.size())));
    JsonObject minted = first.getJsonObject(EDGE_1_ICE.size());
    assertEquals(new JsonArray(relay), minted.getJsonArray("urls"));
    String[] username = minted.getString("username").split(":");
    assertEquals(2, username.length, minted.encode());
    long expires = Long.parseLong(username[0]);
    assertTrue(expires >= before + 600 && expires <= System.currentTimeMillis() / 1000 + 600, minted.encode());
    // What coturn computes from its static-auth-secret for this username.
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
    mac.init(new javax.crypto.spec.SecretKeySpec("north-wind".getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
    assertEquals(java.util.Base64.getEncoder().encodeToString(
        mac.doFinal(minted.getString("username").getBytes(StandardCharsets.UTF_8))), minted.getString("credential"));
    assertNotEquals(minted.getString("username"), second.getJsonObject(EDGE_1_ICE.size()).getString("username"),
        "each viewer its own credentials");
    assertFalse(http.route("demo").body().contains("north-wind"), "the secret stays in the tracker");
  }

  @Test
  void malformedIceServersAreRefusedAndNothingIsStored() throws Exception {
    TrackerHttp http = start(OPEN);
    JsonObject stun = new JsonObject().put("urls", "stun:a.example:3478");
    List<Object> refused = List.of(
        "not an array",
        new JsonObject(),
        new JsonArray().add("stun:a.example:3478"),
        new JsonArray().add(new JsonObject()),
        new JsonArray().add(new JsonObject().put("urls", new JsonArray())),
        new JsonArray().add(new JsonObject().put("urls", 3478)),
        new JsonArray().add(new JsonObject().put("urls", new JsonArray().add(1))),
        new JsonArray().add(new JsonObject().put("urls", "http://a.example")),
        new JsonArray().add(new JsonObject().put("urls", "STUN:a.example")),
        new JsonArray().add(new JsonObject().put("urls", "stun:")),
        new JsonArray().add(new JsonObject().put("urls", "stun:a example")),
        new JsonArray().add(new JsonObject().put("urls", "stun:" + "a".repeat(300))),
        new JsonArray().add(new JsonObject().put("urls", new JsonArray(List.of("stun:a", "stun:b", "stun:c", "stun:d",
            "stun:e")))),
        new JsonArray().add(new JsonObject().put("urls", "turn:t.example:3478")),
        new JsonArray().add(new JsonObject().put("urls", "turn:t.example:3478").put("username", "u")),
        new JsonArray().add(stun.copy().put("credential", "pw")),
        new JsonArray().add(stun.copy().put("username", 7).put("credential", "pw")),
        new JsonArray().add(stun.copy().put("username", "u").putNull("credential")),
        new JsonArray(Collections.nCopies(IceServer.MAX_SERVERS + 1, stun)));
    for (Object iceServers : refused) {
      String body = new JsonObject().put("id", "edge-1").put("url", "http://edge-1.example").put("capacity", 1)
          .put("iceServers", iceServers).encode();
      Reply reply = http.send("POST", "/edges", body);
      assertJsonError(reply, 400, "bad_request");
      assertTrue(reply.json().getString("message").contains("ICE server") || reply.json().getString("message")
          .contains("iceServers"), reply.body());
    }
    assertEquals(0, http.send("GET", "/edges", null).json().getJsonArray("edges").size(), "nothing stored");
    assertEquals(200, http.register("edge-1", 1, new JsonArray(Collections.nCopies(IceServer.MAX_SERVERS,
        stun))).status(), "the most servers allowed");
  }

  @Test
  void withNoHealthyEdgeAndNoOriginTheAnswerIs503() throws Exception {
    TrackerHttp http = start(OPEN);
    assertJsonError(http.route("demo"), 503, "no_edge");
  }

  @Test
  void routesFollowReportedLoadsAndLeaveSilentEdges() throws Exception {
    AtomicLong clock = new AtomicLong(System.currentTimeMillis());
    tracker = RunningTracker.start(TrackerConfig.builder().routing(OPEN), clock::get);
    TrackerHttp http = new TrackerHttp(tracker.server().baseUrl(), null);
    List<String> ids = List.of("edge-a", "edge-b", "edge-c");
    for (String id : ids) {
      http.register(id, 100);
    }
    String home = http.routedEdge("demo");
    assertEquals(home, http.routedEdge("demo"), "one stream, one edge while loads are low");

    // The home reports 90 of its 100 connections: over its bound, the stream spills clockwise.
    http.heartbeat(home, 90);
    String next = http.routedEdge("demo");
    assertNotEquals(home, next);
    assertEquals(next, http.routedEdge("demo"), "and concentrates there");
    http.heartbeat(home, 0);
    assertEquals(home, http.routedEdge("demo"), "relieved, it gets its stream back");

    // The home falls silent while the others keep heartbeating: at the expiry it leaves rotation.
    clock.addAndGet(10_000);
    for (String id : ids) {
      if (!id.equals(home)) {
        http.heartbeat(id, 0);
      }
    }
    clock.addAndGet(4_999);
    assertEquals(home, http.routedEdge("demo"), "silent for less than the expiry: still in");
    clock.addAndGet(1);
    assertEquals(next, http.routedEdge("demo"), "its stream goes where it spilled before");
    JsonArray listed = http.send("GET", "/edges", null).json().getJsonArray("edges");
    assertEquals("missing", listed.stream().map(JsonObject.class::cast)
        .filter(edge -> edge.getString("id").equals(home)).findFirst().orElseThrow().getString("state"));
    assertTrue(http.send("GET", "/metrics", null).body().contains("tracker_edges{state=\"missing\"} 1.0"));

    // Heard again: back in rotation, with its stream.
    assertEquals(200, http.heartbeat(home, 0).status());
    assertEquals(home, http.routedEdge("demo"));
  }

  @Test
  void withSecretsTheRouteCarriesTokensTheEdgesAndTheTrackerAccept() throws Exception {
    String joinSecret = "join-s3cret";
    String accessSecret = "access-s3cret";
    TrackerHttp http = start(TrackerConfig.builder().secret(joinSecret)
        .routing(RoutingConfig.builder().openRegistry().accessSecret(accessSecret).origin(ORIGIN).build()), null);
    http.register("edge-1", 10);
    Reply reply = http.route("demo");
    assertEquals("*", reply.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
    assertEquals("no-store", reply.headers().firstValue("Cache-Control").orElse(""));
    JsonObject tokens = reply.json().getJsonObject("tokens");
    long now = System.currentTimeMillis() / 1000;
    long expires = tokens.getLong("expires");
    assertTrue(expires > now + 3500 && expires <= now + 3601, "an hour: " + expires);

    byte[] edgeSecret = accessSecret.getBytes(StandardCharsets.UTF_8);
    assertTrue(AccessToken.verify(tokens.getString("edge"), edgeSecret, "/live/demo/360p/index.m3u8", now).granted());
    assertEquals(AccessToken.Refusal.WRONG_PATH,
        AccessToken.verify(tokens.getString("edge"), edgeSecret, "/live/news/360p/index.m3u8", now).refusal());

    TestPeer peer = tracker.peer();
    peer.send(new ClientMessage.Join(new SwarmId("demo", "360p"), "edge-1", 2, null, tokens.getString("tracker")));
    peer.next(ServerMessage.Peers.class);

    // Sent to the origin, the viewer gets no edge token (the origin checks none) but still a join token.
    http.send("DELETE", "/edges/edge-1", null);
    JsonObject fallback = http.route("demo").json().getJsonObject("tokens");
    assertNull(fallback.getString("edge"));
    assertTrue(fallback.getString("tracker").startsWith("eyJ"));
  }

  @Test
  void playersOnOtherOriginsMayAskForRoutes() throws Exception {
    TrackerHttp http = start(OPEN);
    Reply preflight = http.send("OPTIONS", "/route?stream=demo", null);
    assertEquals(204, preflight.status());
    assertEquals("*", preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
    assertTrue(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("").contains("GET"));
    Reply refused = http.route("demo");
    assertEquals(503, refused.status());
    assertEquals("*", refused.headers().firstValue("Access-Control-Allow-Origin").orElse(""),
        "a page can read why it was refused");
  }
}
