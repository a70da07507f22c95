package dev.swarmcdn.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.swarmcdn.kit.http.tls.DevCertificates;
import dev.swarmcdn.kit.http.tls.TlsTrust;
import dev.swarmcdn.peer.engine.EngineOptions;
import dev.swarmcdn.peer.player.VirtualPlayer;
import dev.swarmcdn.peer.rtc.RtcRuntime;
import dev.swarmcdn.peer.simulate.SimulationReport;
import dev.swarmcdn.peer.simulate.SwarmSimulation;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo over TLS ({@code ./cdn demo --tls}'s {@link DemoTls}): every server presents the
 * certificate made at start, the edges register with the tracker over HTTPS, fill from the origin
 * over HTTPS and join the tracker's swarms over WSS as seeders; a Java viewer trusting the demo's CA
 * plays and holds its wss:// tracker connection; and the browser end to end runs once over
 * https/wss ({@code web-player/test/e2e/tls.mjs}, skipped where the system's Chromium is missing).
 */
class PlayerTlsTest {

  private static final Duration RUN_BOUND = Duration.ofMinutes(3);

  @TempDir static Path dir;
  private static Demo demo;
  private static HttpClient https;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(DevCertificates.available(), "no openssl command (scripts/install-deps installs it)");
    DemoTls tls = DemoTls.prepare(dir.resolve("data").resolve("tls"));
    https = HttpClient.newBuilder().sslContext(TlsTrust.withCa(tls.ca().cert()).sslContext())
        .connectTimeout(Duration.ofSeconds(20)).build();
    demo = LightDemo.start(dir, 1, tls, https);
  }

  @AfterAll
  static void stop() {
    if (demo != null) {
      demo.close();
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return https.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void everyServerSpeaksTlsAndHandsOutHttpsAndWss() throws Exception {
    String edge = demo.edgeUrls().get(0);
    assertTrue(demo.originUrl().startsWith("https://") && edge.startsWith("https://"), demo.originUrl() + " " + edge);
    assertTrue(demo.tracker().webSocketUrl().startsWith("wss://"), demo.tracker().webSocketUrl());
    assertTrue(demo.playerUrl().startsWith(edge + "/player/") && demo.playerUrl().contains("tracker=wss://"),
        demo.playerUrl());
    assertEquals(200, get(demo.playerUrl()).statusCode());
    // The edge registered over HTTPS (start waits for it): /route names it by its https URL.
    JsonObject route = new JsonObject(get(demo.routeUrl()).body());
    assertEquals(edge, route.getString("edge"), route.encode());
    assertEquals(demo.tracker().webSocketUrl(), route.getString("tracker"));
    // The edge's seeder connects to the tracker at start, over WSS: a connection the tracker counts
    // while no viewer is connected (the other tests' viewers leave when they end).
    java.util.regex.Pattern connected = java.util.regex.Pattern.compile(
        "(?m)^tracker_peers_connected\\{protocol=\"swarmcdn\",?\\} (\\d+)");
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).until(() -> {
      java.util.regex.Matcher count = connected.matcher(get(demo.tracker().baseUrl() + "/metrics").body());
      return count.find() && Double.parseDouble(count.group(1)) >= 1;
    });
  }

  @Test
  void aJavaViewerTrustingTheDemoCaPlaysOverHttpsAndJoinsOverWss() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      EngineOptions options = EngineOptions.builder().tracker(demo.tracker().webSocketUrl())
          .maxCacheBytes(8L << 20).trust(TlsTrust.withCa(demo.tls().ca().cert())).build();
      SimulationReport report = new SwarmSimulation(vertx, RtcRuntime.shared()).run(new SwarmSimulation.Settings(
              demo.masterPlaylistUrl(demo.edgeUrls().get(0)), 2, Duration.ofSeconds(1), Duration.ofSeconds(8),
              i -> options, VirtualPlayer.Settings.DEFAULT), (elapsed, now) -> { });
      assertTrue(report.deliveredEdge() + report.deliveredP2p() > 0, report.summary());
      for (var viewer : report.perViewer()) {
        assertEquals("open", viewer.engine().tracker(), "viewer " + viewer.index() + ": " + report.summary());
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void theBrowserPlaysOverHttpsAndWss() throws Exception {
    BrowserScript.assumeRunnable();
    BrowserScript.assertPasses("e2e-tls", RUN_BOUND, "test/e2e/tls.mjs", "--edge", demo.edgeUrls().get(0),
        "--tracker", demo.tracker().webSocketUrl(), "--spki", demo.tls().spkiHash());
  }
}
