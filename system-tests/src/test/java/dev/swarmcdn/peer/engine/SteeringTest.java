package dev.swarmcdn.peer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.peer.player.VirtualPlayer;
import dev.swarmcdn.peer.testing.JavaViewer;
import dev.swarmcdn.peer.testing.LiveStack;
import dev.swarmcdn.peer.testing.Scrape;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tracker steers a live swarm of Java viewers (with the edge's seeder in it): it names one
 * first fetcher per new segment, that viewer fetches it over HTTP ahead of its player, and the
 * others take it from the swarm (docs/PROTOCOL.md, "Steering").
 */
class SteeringTest {
  static final int VIEWERS = 4;
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
  void assignedViewersFetchNewSegmentsFirstAndTheOthersTakeThemFromTheSwarm() throws Exception {
    List<JavaViewer> viewers = new ArrayList<>();
    try {
      for (int i = 0; i < VIEWERS; i++) {
        viewers.add(JavaViewer.watch(stack.viewers(), stack.masterUrl(), EngineOptions.builder().tracker(stack.trackerUrl()).build()));
      }
      // Segments every viewer played from the first one a viewer took from the swarm on: fewer
      // copies of each left the edge (over HTTP or from its seeder) than there are viewers.
      Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
          .until(() -> steeredSegments(viewers).size() >= 4 && assignedFetches(viewers) >= 3);
      Scrape tracker = Scrape.of(stack.trackerHttpUrl());
      assertTrue(tracker.value("tracker_assignments_total\\{fetcher=\"viewer\",?\\}") >= 3, tracker.text());
      List<Double> copies = steeredSegments(viewers);
      double mean = copies.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
      assertTrue(mean < VIEWERS - 1, "copies per segment leaving the edge, segment by segment: " + copies);
      for (JavaViewer viewer : viewers) {
        assertEquals(0, viewer.stats().integrityFailures());
      }
      // The viewers report their figures every 5 s: the tracker's sum shows the swarm's sharing.
      Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
        JsonObject bytes = fleetFigures().getJsonObject("bytes");
        return bytes.getLong("p2p") > 0 && bytes.getLong("http") > 0;
      });
    } finally {
      for (JavaViewer viewer : viewers) {
        viewer.close();
      }
    }
  }

  /** demo/360p in the tracker's GET /streams. */
  private static JsonObject fleetFigures() throws Exception {
    HttpResponse<String> reply = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(stack.trackerHttpUrl() + "/streams")).build(), HttpResponse.BodyHandlers.ofString());
    for (Object stream : new JsonObject(reply.body()).getJsonArray("streams")) {
      JsonObject figures = (JsonObject) stream;
      if ("demo".equals(figures.getString("stream")) && "360p".equals(figures.getString("rendition"))) {
        return figures;
      }
    }
    return new JsonObject().put("bytes", new JsonObject().put("p2p", 0L).put("http", 0L));
  }

  private static long assignedFetches(List<JavaViewer> viewers) throws Exception {
    long assigned = 0;
    for (JavaViewer viewer : viewers) {
      assigned += viewer.stats().assignedFetches();
    }
    return assigned;
  }

  /**
   * Copies that left the edge of each segment every viewer played, from the first segment any
   * viewer took from the swarm on (before, every viewer fetched its own: there was no swarm yet).
   */
  private static List<Double> steeredSegments(List<JavaViewer> viewers) {
    Map<Long, long[]> bySequence = new TreeMap<>();
    long firstShared = Long.MAX_VALUE;
    for (JavaViewer viewer : viewers) {
      for (VirtualPlayer.SegmentEvent event : viewer.played()) {
        long[] seen = bySequence.computeIfAbsent(event.ref().sequence(), s -> new long[3]);
        seen[0]++;
        seen[1] += event.delivery().httpBytes() + event.delivery().seederBytes();
        seen[2] = event.delivery().data().length;
        if (event.delivery().p2pBytes() > 0) {
          firstShared = Math.min(firstShared, event.ref().sequence());
        }
      }
    }
    List<Double> copies = new ArrayList<>();
    for (Map.Entry<Long, long[]> segment : bySequence.entrySet()) {
      long[] seen = segment.getValue();
      if (segment.getKey() >= firstShared && seen[0] == VIEWERS) {
        copies.add((double) seen[1] / seen[2]);
      }
    }
    return copies;
  }
}
