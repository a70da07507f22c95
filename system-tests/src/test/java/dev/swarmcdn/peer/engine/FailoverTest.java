package dev.swarmcdn.peer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.swarmcdn.peer.stats.StatsSnapshot;
import dev.swarmcdn.peer.testing.JavaViewer;
import dev.swarmcdn.peer.testing.LiveStack;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Java viewers outlive the death of their edge and of their tracker (docs/ARCHITECTURE.md,
 * "Failover"): a real origin, edges and trackers on 127.0.0.1, one of them stopped mid-session.
 */
class FailoverTest {
  private static final String MASTER_PATH = "/live/" + LiveStack.STREAM + "/master.m3u8";
  private static final Duration BOUND = Duration.ofSeconds(60);

  @Test
  void viewersOfADeadEdgeMoveToTheNextOneAndKeepPlaying(@TempDir Path dir) throws Exception {
    try (LiveStack stack = LiveStack.startWithTwoEdges(dir)) {
      String routed = routedEdge(stack);
      EngineOptions routedOptions = EngineOptions.builder().route(stack.routeUrl()).build();
      List<JavaViewer> viewers = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        viewers.add(JavaViewer.watch(stack.viewers(), MASTER_PATH, routedOptions));
      }
      awaitEach(viewers, "plays through " + routed, viewer -> viewer.played().size() >= 2);
      List<Integer> before = viewers.stream().map(viewer -> viewer.played().size()).toList();

      stack.stopEdge(routed);
      assertNotEquals(routed, routedEdge(stack), "a stopped edge leaves rotation at once (it deregisters)");
      for (int i = 0; i < viewers.size(); i++) {
        int playedBefore = before.get(i);
        awaitEach(List.of(viewers.get(i)), "fails over and plays 3 more segments",
            viewer -> viewer.stats().edgeFailovers() > 0 && viewer.played().size() >= playedBefore + 3);
      }
      for (JavaViewer viewer : viewers) {
        StatsSnapshot stats = viewer.stats();
        System.out.printf("after %s died: %d failovers, %d segments played, %d stalls%n", routed,
            stats.edgeFailovers(), viewer.played().size(), viewer.playback().stalls());
        assertEquals(0, stats.integrityFailures());
        viewer.close();
      }
    }
  }

  @Test
  void viewersOfADeadTrackerRejoinAtTheNextOneAndAreMatchedWithPeersThere(@TempDir Path dir) throws Exception {
    try (LiveStack stack = LiveStack.start(dir)) {
      String second = stack.startAnotherTracker();
      JavaViewer moving = JavaViewer.watch(stack.viewers(), stack.masterUrl(),
          EngineOptions.builder().trackerUrls(List.of(stack.trackerUrl(), second)).build());
      awaitEach(List.of(moving), "joins at the first tracker and plays",
          viewer -> "open".equals(viewer.stats().tracker()) && !viewer.played().isEmpty());

      stack.stopTracker();
      awaitEach(List.of(moving), "moves to the second tracker",
          viewer -> viewer.stats().trackerFailovers() > 0 && "open".equals(viewer.stats().tracker()));
      // A viewer that only knows the second tracker finds the one that moved there.
      JavaViewer late = JavaViewer.watch(stack.viewers(), stack.masterUrl(), EngineOptions.builder().tracker(second).build());
      awaitEach(List.of(late, moving), "is matched with the other at the second tracker", viewer -> viewer.stats().peers() >= 1);
      System.out.printf("moved viewer: %d tracker failovers; the late viewer has %d peer(s), %d P2P bytes%n",
          moving.stats().trackerFailovers(), late.stats().peers(), late.stats().deliveredP2p());
      late.close();
      moving.close();
    }
  }

  private interface ViewerCheck {
    boolean holds(JavaViewer viewer) throws Exception;
  }

  private static void awaitEach(List<JavaViewer> viewers, String what, ViewerCheck check) {
    Awaitility.await("each viewer " + what).atMost(BOUND).pollInterval(Duration.ofMillis(250)).until(() -> {
      for (JavaViewer viewer : viewers) {
        if (!check.holds(viewer)) {
          return false;
        }
      }
      return true;
    });
  }

  /** The edge /route names for the stream now. */
  private static String routedEdge(LiveStack stack) throws Exception {
    HttpResponse<String> answer = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(stack.routeUrl() + "?stream=" + LiveStack.STREAM)).build(),
        HttpResponse.BodyHandlers.ofString());
    return new JsonObject(answer.body()).getString("edgeId");
  }
}
