package dev.swarmcdn.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.origin.Rendition;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a new user gets from {@code ./cdn demo}: a live stream through two edges, a page that plays
 * it, and a tracker for the swarm that routes viewers to the edges.
 */
class DemoTest {

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private Demo demo;

  @AfterEach
  void stop() {
    if (demo != null) {
      demo.close();
    }
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void demoServesALiveStreamThroughEdgesAndThePlayerPage() throws Exception {
    demo = Demo.start(Demo.defaultOrigin(0, dir.resolve("data"), dir.resolve("media"))
            // A cheaper ladder than the demo's own: CI shares two cores with other tests.
            .withLadder(Rendition.parseLadder("180p:320x180:200,90p:160x90:100"), 15),
        List.of(0, 0), 0);
    assertEquals(2, demo.edgeUrls().size());
    demo.edges().forEach(edge -> assertTrue(edge.stunPort() > 0, "each edge offers STUN"));

    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
        .until(() -> get(demo.originUrl() + "/ready").statusCode() == 200);

    for (String edge : demo.edgeUrls()) {
      HttpResponse<String> master = get(demo.masterPlaylistUrl(edge));
      assertEquals(200, master.statusCode(), edge);
      assertTrue(master.body().startsWith("#EXTM3U"), master.body());
      assertTrue(master.body().contains("180p/index.m3u8") && master.body().contains("90p/index.m3u8"),
          master.body());
      HttpResponse<String> media = get(edge + "/live/" + Demo.STREAM + "/180p/index.m3u8");
      assertEquals(200, media.statusCode());
      assertTrue(media.body().contains("#EXTINF"), media.body());
    }

    HttpResponse<String> tracker = get(demo.tracker().baseUrl() + "/health");
    assertEquals(200, tracker.statusCode());
    assertTrue(tracker.body().contains("UP"), tracker.body());
    assertTrue(demo.tracker().webSocketUrl().startsWith("ws://127.0.0.1:"), demo.tracker().webSocketUrl());

    // The edges registered with the tracker, which routes viewers to one of them.
    JsonObject route = new JsonObject(get(demo.routeUrl()).body());
    assertTrue(demo.edgeUrls().contains(route.getString("edge")), route.encode());
    assertEquals(false, route.getBoolean("fallback"));
    assertEquals(demo.tracker().webSocketUrl(), route.getString("tracker"));
    // The registry is closed: the edges got the secret made for this run, nobody else has it.
    assertEquals(401, get(demo.tracker().baseUrl() + "/edges").statusCode());
    assertEquals(401, http.send(HttpRequest.newBuilder(URI.create(demo.tracker().baseUrl() + "/edges"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"intruder\",\"url\":\"http://127.0.0.1:1\",\"capacity\":10}"))
        .build(), HttpResponse.BodyHandlers.ofString()).statusCode());
    HttpResponse<String> edges = http.send(HttpRequest.newBuilder(URI.create(demo.tracker().baseUrl() + "/edges"))
        .header("Authorization", "Bearer " + demo.edgeSecret()).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(2, new JsonObject(edges.body()).getJsonArray("edges").stream()
        .filter(edge -> ((JsonObject) edge).getString("state").equals("healthy")).count());

    // The banner's "TURN relay: turn:..." is true: coturn runs, answers STUN, and /route hands it out.
    if (CoturnRelay.installed().isPresent() && InterfaceAddress.ipv4().isPresent()) {
      CoturnRelay relay = demo.relay().server();
      assertNotNull(relay, "turnserver is installed, yet the demo's relay is off: " + demo.relay().whyNot());
      assertTrue(relay.answersStun(Duration.ofSeconds(5)), "the demo's relay answers STUN on " + relay.url());
      assertTrue(route.getJsonArray("iceServers").stream().map(JsonObject.class::cast)
          .anyMatch(server -> server.encode().contains(relay.url()) && server.containsKey("username")
              && server.containsKey("credential")), "/route hands out the relay with credentials: " + route.encode());
    } else {
      assertTrue(demo.relay().server() == null && demo.relay().describe().startsWith("off: "), demo.relay().describe());
    }

    HttpResponse<String> page = get(demo.playerUrl());
    assertEquals(200, page.statusCode());
    assertTrue(demo.playerUrl().contains("tracker=" + demo.tracker().webSocketUrl()), demo.playerUrl());
    assertTrue(page.body().contains("<p2p-player") && page.body().contains("player.js"), "the page plays with the bundle");
    HttpResponse<String> bundle = get(demo.edgeUrls().get(0) + "/player/player.js");
    assertEquals(200, bundle.statusCode());
    assertTrue(bundle.body().length() > 300_000 && bundle.body().contains("p2p-player"),
        "the bundle holds hls.js and the player, not a placeholder");
  }

  @Test
  void withAHostTheDemoHandsOutUrlsOtherMachinesReach() throws Exception {
    String host = InterfaceAddress.ipv4().orElse(null);
    org.junit.jupiter.api.Assumptions.assumeTrue(host != null, "no network interface besides loopback");
    List<Integer> ports = freePorts(3);
    demo = Demo.start(Demo.defaultOrigin(0, dir.resolve("data"), dir.resolve("media"))
            .withLadder(Rendition.parseLadder("180p:320x180:200,90p:160x90:100"), 15),
        ports.subList(0, 2), ports.get(2), null, host);
    String edge = "http://" + host + ":" + ports.get(0);
    String tracker = "ws://" + host + ":" + ports.get(2) + "/ws";
    assertEquals(demo.edgeUrls().get(0), edge);
    assertTrue(demo.playerUrl().startsWith(edge + "/player/") && demo.playerUrl().endsWith("tracker=" + tracker),
        demo.playerUrl());
    assertEquals(200, get(demo.playerUrl()).statusCode(), "the page, on the host's address");
    JsonObject route = new JsonObject(get(demo.routeUrl()).body());
    assertTrue(demo.routeUrl().startsWith("http://" + host + ":" + ports.get(2) + "/route"), demo.routeUrl());
    assertTrue(route.getString("edge").startsWith("http://" + host + ":"), route.encode());
    assertEquals(tracker, route.getString("tracker"));
    assertTrue(route.getJsonArray("iceServers").encode().contains("stun:" + host + ":"), route.encode());
  }

  /** Ports free now, for a demo that must know its ports before it starts. */
  private static List<Integer> freePorts(int count) throws java.io.IOException {
    List<java.net.ServerSocket> sockets = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        sockets.add(new java.net.ServerSocket(0));
      }
      return sockets.stream().map(java.net.ServerSocket::getLocalPort).toList();
    } finally {
      for (java.net.ServerSocket socket : sockets) {
        socket.close();
      }
    }
  }
}
