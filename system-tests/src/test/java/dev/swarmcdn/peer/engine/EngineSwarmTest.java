package dev.swarmcdn.peer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.peer.player.HlsText;
import dev.swarmcdn.peer.player.PlaybackStats;
import dev.swarmcdn.peer.player.VirtualPlayer;
import dev.swarmcdn.peer.rtc.RtcRuntime;
import dev.swarmcdn.peer.simulate.SimulationReport;
import dev.swarmcdn.peer.simulate.SwarmSimulation;
import dev.swarmcdn.peer.stats.FallbackReason;
import dev.swarmcdn.peer.stats.StatsSnapshot;
import dev.swarmcdn.peer.swarm.LinkClose;
import dev.swarmcdn.peer.testing.JavaViewer;
import dev.swarmcdn.peer.testing.LiveStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Java peers in a real swarm: origin (ffmpeg live stream), tracker and edge on 127.0.0.1, WebRTC
 * between the peers. Each test starts its viewers and closes them; the swarm empties in between.
 */
class EngineSwarmTest {
  @TempDir
  static Path dir;
  static LiveStack stack;
  static final HttpClient HTTP = HttpClient.newHttpClient();
  final List<JavaViewer> viewers = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    stack = LiveStack.start(dir);
  }

  @AfterAll
  static void stop() throws Exception {
    stack.close();
  }

  @AfterEach
  void closeViewers() throws Exception {
    for (JavaViewer viewer : viewers) {
      viewer.close();
    }
  }

  JavaViewer watch(EngineOptions options) throws Exception {
    JavaViewer viewer = JavaViewer.watch(stack.viewers(), stack.masterUrl(), options);
    viewers.add(viewer);
    return viewer;
  }

  static EngineOptions.Builder options() {
    return EngineOptions.builder().tracker(stack.trackerUrl());
  }

  @Test
  void twoJavaPeersShareSegmentsThroughTheDemoStack() throws Exception {
    JavaViewer first = watch(options().build());
    Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> first.stats().deliveredHttp() > 0);
    JavaViewer second = watch(options().build());
    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
        .until(() -> second.stats().deliveredP2p() > 0 && first.stats().uploaded() > 0);
    StatsSnapshot seen = second.stats();
    assertEquals(0, seen.integrityFailures());
    assertEquals(1, seen.peers());
    assertPlayedAsTheEdgeServes(second);
    // What a real player needs besides: the init segment the one-rendition stream names.
    String mediaUrl = second.call(second.player()::mediaUrl);
    String playlist = HTTP.send(HttpRequest.newBuilder(URI.create(mediaUrl)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    String init = HlsText.media(playlist, mediaUrl).mapUri();
    assertEquals(200, HTTP.send(HttpRequest.newBuilder(URI.create(mediaUrl).resolve(init)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode(), init);
  }

  @Test
  void aPeerServingCorruptedBytesIsCaughtDroppedAndReported() throws Exception {
    // Every byte the liar serves is flipped: what it sends can never verify.
    JavaViewer liar = watch(options().tamper((sequence, payload) -> {
      for (int i = 0; i < payload.length; i++) {
        payload[i] = (byte) ~payload[i];
      }
      return payload;
    }).build());
    Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> liar.stats().deliveredHttp() > 0);
    double reportsBefore = trackerReports();
    JavaViewer victim = watch(options().build());
    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
        .until(() -> victim.stats().integrityFailures() > 0);
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> victim.call(victim.engine()::linkCloses).getOrDefault(LinkClose.Reason.INTEGRITY, 0L) == 1);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> trackerReports() > reportsBefore);
    StatsSnapshot seen = victim.stats();
    assertEquals(0, seen.peers(), "the liar is dropped and not connected again");
    assertTrue(seen.fallbacks().get(FallbackReason.INTEGRITY) > 0);
    // Playback went on over HTTP, and nothing it played was corrupted.
    int playedBefore = victim.played().size();
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> victim.played().size() > playedBefore + 1);
    assertPlayedAsTheEdgeServes(victim);
  }

  @Test
  void aPeerVanishingMidTransferLeavesTheRestToHttpWithoutAStall() throws Exception {
    // A slow uploader: a 200 KB segment takes it over a second, time to vanish in the middle.
    JavaViewer slow = watch(options().maxUploadRate(120_000).build());
    Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> slow.stats().deliveredHttp() > 0);
    JavaViewer viewer = watch(options().build());
    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
        .until(() -> viewer.stats().p2pInFlight() > 0 && slow.stats().uploaded() > 0);
    long uploaded = slow.stats().uploaded();
    Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
        .until(() -> slow.stats().uploaded() > uploaded);
    slow.call(() -> {
      slow.player().stop();
      slow.engine().close();
      return null;
    });
    viewers.remove(slow);
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> viewer.played().stream()
        .anyMatch(event -> event.delivery().p2pBytes() > 0 && event.delivery().httpBytes() > 0));
    int playedBefore = viewer.played().size();
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> viewer.played().size() > playedBefore + 1);
    assertEquals(0, viewer.playback().stalls(), "no stall");
    assertPlayedAsTheEdgeServes(viewer);
  }

  @Test
  void simulatedViewersShareTheStream() throws Exception {
    SwarmSimulation simulation = new SwarmSimulation(stack.viewers(), RtcRuntime.shared());
    EngineOptions engineOptions = options().maxCacheBytes(8L << 20).build();
    SimulationReport report = simulation.run(new SwarmSimulation.Settings(stack.masterUrl(), 3, Duration.ofSeconds(4),
        Duration.ofSeconds(16), i -> engineOptions, VirtualPlayer.Settings.DEFAULT), (elapsed, now) -> { });
    assertEquals(3, report.viewers());
    assertTrue(report.perViewer().stream().allMatch(viewer -> viewer.playback().segments() > 0), report.summary());
    assertTrue(report.deliveredP2p() > 0, report.summary());
    assertEquals(0, report.integrityFailures());
    // Every viewer left: each peer connection closed and its native memory freed.
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> RtcRuntime.shared().openSessions() == 0);
  }

  /** Every segment the viewer played has exactly the bytes the edge serves for it. */
  static void assertPlayedAsTheEdgeServes(JavaViewer viewer) throws Exception {
    assertTrue(!viewer.played().isEmpty());
    for (VirtualPlayer.SegmentEvent event : viewer.played()) {
      byte[] fromEdge = HTTP.send(HttpRequest.newBuilder(URI.create(event.ref().url())).build(),
          HttpResponse.BodyHandlers.ofByteArray()).body();
      assertTrue(Arrays.equals(fromEdge, event.delivery().data()),
          "segment " + event.ref().sequence() + " differs from the edge's");
    }
  }

  /** tracker_peer_reports_total, all reasons. */
  static double trackerReports() throws Exception {
    String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(stack.trackerHttpUrl() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    return metrics.lines().filter(line -> line.startsWith("tracker_peer_reports_total"))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
  }

}
