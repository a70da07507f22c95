package dev.swarmcdn.peer.watch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.peer.engine.EngineOptions;
import dev.swarmcdn.peer.engine.PeerEngine;
import dev.swarmcdn.peer.player.VirtualPlayer;
import dev.swarmcdn.peer.rtc.RtcRuntime;
import dev.swarmcdn.peer.stats.StatsSnapshot;
import dev.swarmcdn.peer.swarm.LinkClose;
import dev.swarmcdn.peer.testing.LiveStack;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The desktop peer against the real system on 127.0.0.1 (origin with ffmpeg's live stream, tracker,
 * edge): what a local player gets from it, and ffplay playing through it next to another Java peer.
 */
class WatchPeerTest {
  @TempDir
  static Path dir;
  static LiveStack stack;

  @BeforeAll
  static void start() throws Exception {
    stack = LiveStack.start(dir);
    // A live stream is served once ffmpeg wrote its first segments.
    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
        .until(() -> PlainHttp.get(stack.edgeUrl() + "/live/demo/360p/index.m3u8").status() == 200);
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  static WatchPeer watch() throws Exception {
    WatchOptions options = new WatchOptions(stack.masterUrl(), "127.0.0.1", 0, null,
        EngineOptions.builder().tracker(stack.trackerUrl()).build());
    return WatchPeer.start(options, RtcRuntime.shared(), null).toCompletionStage().toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
  }

  static StatsSnapshot stats(PeerEngine engine) throws Exception {
    return engine.submit(engine::stats).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  /** The URIs a playlist names: its URI lines and URI="..." attributes. */
  static List<String> uris(String playlist) {
    List<String> uris = new ArrayList<>();
    for (String line : playlist.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      if (!line.startsWith("#")) {
        uris.add(line.trim());
      }
      var match = java.util.regex.Pattern.compile("URI=\"([^\"]*)\"").matcher(line);
      while (match.find()) {
        uris.add(match.group(1));
      }
    }
    return uris;
  }

  @Test
  void aLocalPlayerGetsRewrittenPlaylistsAndTheEdgesBytes() throws Exception {
    try (WatchPeer peer = watch()) {
      String local = peer.playlistUrl();
      String base = local.substring(0, local.indexOf("/live/"));
      assertTrue(local.endsWith("/live/demo/master.m3u8"), local);

      PlainHttp.Got master = PlainHttp.get(local);
      assertEquals(200, master.status());
      assertEquals("application/vnd.apple.mpegurl", master.contentType());
      List<String> variants = uris(master.text());
      assertFalse(variants.isEmpty(), master.text());
      for (String uri : variants) {
        assertTrue(uri.startsWith("/live/demo/"), "points at the local server: " + uri);
      }

      // The played rendition's playlist is the virtual player's: as it fills, so does this one.
      Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
          .until(() -> uris(PlainHttp.get(base + variants.get(0)).text()).stream().filter(uri -> uri.endsWith(".m4s")).count() >= 4);
      PlainHttp.Got media = PlainHttp.get(base + variants.get(0));
      assertEquals(200, media.status());
      String mediaText = media.text();
      assertTrue(mediaText.contains("#EXT-X-MAP:URI=\"/live/demo/"), mediaText);
      List<String> named = uris(mediaText);
      List<String> segments = named.stream().filter(uri -> uri.endsWith(".m4s")).toList();
      assertTrue(segments.size() >= 2, mediaText);
      for (String uri : named) {
        assertTrue(uri.startsWith("/live/demo/"), "points at the local server: " + uri);
      }

      // The init segment passes through; media segments come from the engine: byte-exact both.
      String init = named.stream().filter(uri -> uri.endsWith(".mp4")).findFirst().orElseThrow();
      assertEquals("/live/demo/360p/init_e1_360p.mp4", init);
      for (String path : List.of(init, segments.get(segments.size() - 1), segments.get(segments.size() - 2))) {
        PlainHttp.Got mine = PlainHttp.get(base + path);
        PlainHttp.Got edges = PlainHttp.get(stack.edgeUrl() + path);
        assertEquals(200, edges.status(), path + ": " + edges.text());
        assertEquals(200, mine.status(), path + ": " + mine.text());
        assertTrue(mine.body().length > 0, path);
        assertArrayEquals(edges.body(), mine.body(), path);
      }
      PlainHttp.Got ranged = PlainHttp.request("GET", base + segments.get(0), "bytes=0-99");
      assertEquals(206, ranged.status());
      assertEquals(100, ranged.body().length);

      // The engine counted what the local player got, once per segment.
      JsonObject stats = new JsonObject(PlainHttp.get(base + "/stats").text());
      long delivered = stats.getJsonObject("delivered").getLong("http") + stats.getJsonObject("delivered").getLong("p2p");
      assertTrue(delivered >= PlainHttp.get(stack.edgeUrl() + segments.get(segments.size() - 1)).body().length, stats.encode());
      for (String field : List.of("segments", "downloaded", "uploaded", "p2pShare", "peers", "swarm", "tracker",
          "integrityFailures", "fallbacks", "p2pInFlight", "uploadsActive", "history")) {
        assertTrue(stats.containsKey(field), field + " in " + stats.encode());
      }
      assertEquals("demo/360p", stats.getString("swarm"));

      assertEquals(200, PlainHttp.get(base + "/health").status());
      assertEquals(200, PlainHttp.get(base + "/ready").status());
      String metrics = PlainHttp.get(base + "/metrics").text();
      assertTrue(metrics.contains("peer_delivered_bytes_total{source=\"http\"}"), metrics);
      assertTrue(metrics.contains("peer_link_closes_total{reason=\"integrity\"}"), metrics);
      assertTrue(metrics.contains("peer_peers "), metrics);

      // Bad requests get a clear 4xx; an upstream 404 passes through.
      PlainHttp.Got post = PlainHttp.request("POST", local, null);
      assertEquals(405, post.status());
      PlainHttp.Got climbing = PlainHttp.get(base + "/live/%2e%2e/%2e%2e/etc/passwd");
      assertEquals(400, climbing.status());
      assertTrue(climbing.text().contains("bad path"), climbing.text());
      assertEquals(404, PlainHttp.get(base + "/live/demo/360p/no-such-segment.m4s").status());
    }
  }

  /** A second Java peer in the same JVM: an engine and a virtual player. */
  record OtherPeer(PeerEngine engine, VirtualPlayer player) implements AutoCloseable {
    static OtherPeer start(Vertx vertx) throws Exception {
      PeerEngine engine = PeerEngine.create(vertx, EngineOptions.builder().tracker(stack.trackerUrl()).build(),
          RtcRuntime.shared());
      VirtualPlayer player = engine.submit(() -> {
        VirtualPlayer p = new VirtualPlayer(engine, VirtualPlayer.Settings.DEFAULT, event -> { });
        p.start(stack.masterUrl());
        return p;
      }).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      return new OtherPeer(engine, player);
    }

    @Override
    public void close() throws Exception {
      engine.submit(() -> {
        player.stop();
        engine.close();
        return null;
      }).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void ffplayPlaysTenSecondsThroughTheDesktopPeerWithPeerBytes() throws Exception {
    Path ffplay = Path.of("/usr/bin/ffplay");
    Assumptions.assumeTrue(Files.isExecutable(ffplay), "ffplay is missing (Debian's ffmpeg): skipped");
    Vertx vertx = Vertx.vertx();
    try (OtherPeer other = OtherPeer.start(vertx)) {
      Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
          .until(() -> stats(other.engine()).deliveredHttp() > 0);
      try (WatchPeer peer = watch()) {
        // The virtual player plays ahead: by the time the local player starts, the newest segments
        // it will ask for came from the other peer.
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
            .until(() -> stats(peer.engine()).downloadedP2p() > 0);
        ProcessBuilder run = new ProcessBuilder(ffplay.toString(), "-nodisp", "-stats", "-loglevel", "error",
            peer.playlistUrl()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        run.environment().put("SDL_VIDEODRIVER", "dummy");
        run.environment().put("SDL_AUDIODRIVER", "dummy");
        long startedAt = System.nanoTime();
        Process process = run.start();
        FfplayClock clock = new FfplayClock(10).follow(process.getErrorStream());
        double played;
        try {
          played = clock.played().get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
          throw new AssertionError("ffplay played " + clock.playedSeconds() + " s in 60 s: " + clock.messages(), e);
        } finally {
          process.destroy();
          if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
          }
        }
        long playedMs = (System.nanoTime() - startedAt) / 1_000_000;
        assertTrue(playedMs >= 9_000, "ffplay played at real time, not 10 s in " + playedMs + " ms");
        assertEquals("", clock.messages().trim(), "ffplay reported no error");

        StatsSnapshot seen = stats(peer.engine());
        System.out.println("ffplay played " + played + " s of media in " + playedMs + " ms through the desktop peer: delivered http "
            + seen.deliveredHttp() + " p2p " + seen.deliveredP2p() + ", peers " + seen.peers());
        assertTrue(seen.deliveredP2p() > 0, "peer bytes reached ffplay: " + seen);
        assertEquals(0, seen.integrityFailures());
        assertNotNull(seen.swarm());
      }
      // Closed (what Ctrl-C does), the desktop peer said BYE: the other peer saw it leave.
      Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
          .until(() -> other.engine().submit(() -> other.engine().linkCloses().getOrDefault(LinkClose.Reason.LEAVING, 0L))
              .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS) >= 1);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
