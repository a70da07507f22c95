package dev.swarmcdn.edge.seeding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.peer.engine.EngineOptions;
import dev.swarmcdn.peer.player.HlsText;
import dev.swarmcdn.peer.player.VirtualPlayer;
import dev.swarmcdn.peer.stats.StatsSnapshot;
import dev.swarmcdn.peer.testing.JavaViewer;
import dev.swarmcdn.peer.testing.LiveStack;
import dev.swarmcdn.peer.testing.Scrape;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edge's seeder in a real swarm: origin (ffmpeg live stream), tracker and an edge with
 * {@code --seeder} on 127.0.0.1, real WebRTC between the seeder and a Java viewer.
 */
class EdgeSeederTest {
  static final HttpClient HTTP = HttpClient.newHttpClient();
  @TempDir
  static Path dir;
  static LiveStack stack;

  @BeforeAll
  static void start() throws Exception {
    stack = LiveStack.startWithSeeder(dir);
  }

  @AfterAll
  static void stop() throws Exception {
    stack.close();
  }

  @Test
  void theSeederServesTheEdgesCachedSegmentsToAViewerAsEdgeBytesNeverP2p() throws Exception {
    String media = stack.edgeUrl() + "/live/" + LiveStack.STREAM + "/360p/index.m3u8";
    // Viewers without P2P keep the edge's cache warm: every segment is fetched as soon as it is listed.
    ScheduledExecutorService plainViewer = Executors.newSingleThreadScheduledExecutor();
    plainViewer.scheduleWithFixedDelay(() -> fetchEverySegment(media), 0, 1, TimeUnit.SECONDS);
    JavaViewer viewer = JavaViewer.watch(stack.viewers(), stack.masterUrl(), EngineOptions.builder().tracker(stack.trackerUrl()).build());
    try {
      try {
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
            .until(() -> viewer.stats().deliveredSeeder() > 0);
      } catch (ConditionTimeoutException e) {
        // What the edge answered and what the viewer did, for the run that shows it.
        throw new AssertionError("no byte from the seeder in 90 s; viewer: " + viewer.stats() + "; edge: "
            + Scrape.of(stack.edgeUrl()).text().lines().filter(line -> line.startsWith("http_server_")
                || line.startsWith("edge_seeder") || line.startsWith("edge_swarm")).toList(), e);
      }
      StatsSnapshot stats = viewer.stats();
      assertEquals(0, stats.deliveredP2p(), "no other viewer: nothing is P2P");
      assertEquals(0, stats.p2pShare(), "bytes from the edge's seeder are edge bytes");
      assertEquals(0, stats.integrityFailures());
      for (VirtualPlayer.SegmentEvent event : viewer.played()) {
        byte[] edges = HTTP.send(HttpRequest.newBuilder(URI.create(event.ref().url())).build(),
            HttpResponse.BodyHandlers.ofByteArray()).body();
        assertArrayEquals(edges, event.delivery().data(), "segment " + event.ref().sequence());
      }
      Scrape edge = Scrape.of(stack.edgeUrl());
      assertTrue(edge.value("edge_swarm_sent_bytes_total\\{swarm=\"demo/360p\",transport=\"webrtc\",?\\}") > 0, edge.text());
      assertTrue(edge.value("edge_swarm_sent_bytes_total\\{swarm=\"demo/360p\",transport=\"http\",?\\}") > 0, edge.text());
    } finally {
      viewer.close();
      plainViewer.shutdownNow();
    }
  }

  private static void fetchEverySegment(String media) {
    try {
      String playlist = HTTP.send(HttpRequest.newBuilder(URI.create(media)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      for (HlsText.Entry entry : HlsText.media(playlist, media).entries()) {
        HTTP.send(HttpRequest.newBuilder(URI.create(entry.url())).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.discarding());
      }
    } catch (Exception e) {
      // the next round tries again
    }
  }
}
