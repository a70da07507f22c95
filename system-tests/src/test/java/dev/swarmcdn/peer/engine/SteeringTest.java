package dev.swarmcdn.peer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.peer.player.VirtualPlayer;
import dev.swarmcdn.peer.testing.JavaViewer;
import dev.swarmcdn.peer.testing.LiveStack;
import dev.swarmcdn.peer.testing.Scrape;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
      Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
        long assigned = 0;
        long p2p = 0;
        for (JavaViewer viewer : viewers) {
          assigned += viewer.stats().assignedFetches();
          p2p += viewer.stats().deliveredP2p();
        }
        return assigned >= 3 && p2p > 0;
      });
      Scrape tracker = Scrape.of(stack.trackerHttpUrl());
      assertTrue(tracker.value("tracker_assignments_total\\{fetcher=\"viewer\",?\\}") >= 3, tracker.text());
      // Segments every viewer played since steering began: fewer copies left the edge than there are viewers.
      Map<Long, long[]> bySequence = new HashMap<>();
      for (JavaViewer viewer : viewers) {
        assertEquals(0, viewer.stats().integrityFailures());
        for (VirtualPlayer.SegmentEvent event : viewer.played()) {
          long[] seen = bySequence.computeIfAbsent(event.ref().sequence(), s -> new long[3]);
          seen[0]++;
          seen[1] += event.delivery().httpBytes() + event.delivery().seederBytes();
          seen[2] = event.delivery().data().length;
        }
      }
      double copies = bySequence.values().stream().filter(s -> s[0] == VIEWERS)
          .mapToDouble(s -> (double) s[1] / s[2]).average().orElse(Double.NaN);
      assertTrue(copies < VIEWERS, "copies per segment leaving the edge: " + copies);
    } finally {
      for (JavaViewer viewer : viewers) {
        viewer.close();
      }
    }
  }
}
