package dev.swarmcdn.peer.watch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.peer.engine.EngineOptions;
import dev.swarmcdn.peer.rtc.RtcRuntime;
import dev.swarmcdn.peer.testing.LiveStack;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The desktop peer's pass-through follows its engine to the next edge: routed to one of two edges,
 * that edge stopped mid-session, a local player still gets what the engine does not deliver (the
 * init segment) from the edge the engine moved to, byte for byte.
 */
class WatchPeerFailoverTest {
  private static final Duration BOUND = Duration.ofSeconds(60);

  @Test
  void passThroughRequestsGoToTheEdgeTheEngineMovedTo(@TempDir Path dir) throws Exception {
    try (LiveStack stack = LiveStack.startWithTwoEdges(dir)) {
      String routed = new JsonObject(PlainHttp.get(stack.routeUrl() + "?stream=" + LiveStack.STREAM).text()).getString("edgeId");
      String other = routed.equals("edge-1") ? "edge-2" : "edge-1";
      // A live stream is served once ffmpeg wrote its first segments.
      Awaitility.await().atMost(BOUND).pollInterval(Duration.ofMillis(250))
          .until(() -> PlainHttp.get(stack.edgeUrl(routed) + "/live/demo/360p/index.m3u8").status() == 200);
      WatchOptions options = new WatchOptions("/live/" + LiveStack.STREAM + "/master.m3u8", "127.0.0.1", 0, null,
          EngineOptions.builder().route(stack.routeUrl()).build());
      try (WatchPeer peer = WatchPeer.start(options, RtcRuntime.shared(), null).toCompletionStage().toCompletableFuture()
          .get(BOUND.toSeconds(), TimeUnit.SECONDS)) {
        String local = peer.playlistUrl();
        String base = local.substring(0, local.indexOf("/live/"));
        String mediaPath = WatchPeerTest.uris(PlainHttp.get(local).text()).get(0);
        Awaitility.await("the local media playlist names the init segment").atMost(BOUND).pollInterval(Duration.ofMillis(250))
            .until(() -> PlainHttp.get(base + mediaPath).text().contains("#EXT-X-MAP"));
        String init = WatchPeerTest.uris(PlainHttp.get(base + mediaPath).text()).stream()
            .filter(uri -> uri.endsWith(".mp4")).findFirst().orElseThrow();
        assertEquals(200, PlainHttp.get(base + init).status(), "passed through from " + routed);

        stack.stopEdge(routed);
        Awaitility.await("the engine moves to " + other).atMost(BOUND).pollInterval(Duration.ofMillis(250))
            .until(() -> WatchPeerTest.stats(peer.engine()).edgeFailovers() >= 1);

        PlainHttp.Got passed = PlainHttp.get(base + init);
        PlainHttp.Got fromOther = PlainHttp.get(stack.edgeUrl(other) + init);
        assertEquals(200, fromOther.status(), init + ": " + fromOther.text());
        assertEquals(200, passed.status(), "after the failover, " + init + " passes through from " + other + ": " + passed.text());
        assertArrayEquals(fromOther.body(), passed.body(), init);
        for (String uri : WatchPeerTest.uris(PlainHttp.get(base + mediaPath).text())) {
          assertTrue(uri.startsWith("/live/"), "the playlist still points at the local server: " + uri);
        }
      }
    }
  }
}
