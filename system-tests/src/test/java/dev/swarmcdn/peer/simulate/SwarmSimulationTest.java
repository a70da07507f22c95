package dev.swarmcdn.peer.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.peer.engine.EngineOptions;
import dev.swarmcdn.peer.player.VirtualPlayer;
import dev.swarmcdn.peer.rtc.RtcRuntime;
import dev.swarmcdn.peer.testing.LiveStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Virtual viewers that come and go, against the real stack (origin with ffmpeg, tracker, edge). */
class SwarmSimulationTest {
  @TempDir
  static Path dir;
  static LiveStack stack;

  @BeforeAll
  static void start() throws Exception {
    stack = LiveStack.start(dir);
  }

  @AfterAll
  static void stop() throws Exception {
    stack.close();
  }

  @Test
  void churnReplacesViewersAndThoseWhoLeftKeepTheirFigures() throws Exception {
    Map<Integer, Long> played = new ConcurrentHashMap<>();
    SwarmSimulation simulation = new SwarmSimulation(stack.viewers(), RtcRuntime.shared(),
        (viewer, event) -> played.merge(viewer, 1L, Long::sum));
    EngineOptions options = EngineOptions.builder().tracker(stack.trackerUrl()).maxCacheBytes(8L << 20).build();
    // The run lasts 11 s: started before the stream lists a live window, the viewers would spend most
    // of it waiting for ffmpeg (in one CI run, two of the first viewers had played nothing by its end).
    stack.awaitLiveWindow(VirtualPlayer.Settings.DEFAULT.liveSyncCount());
    // Four viewers; a quarter leave and a quarter join 4 s and 8 s after the ramp.
    SimulationReport report = simulation.run(new SwarmSimulation.Settings(stack.masterUrl(), 4, Duration.ofSeconds(2),
        Duration.ofSeconds(9), i -> options, VirtualPlayer.Settings.DEFAULT,
        new Churn(Duration.ofSeconds(4), 0.25, 0.25)), (elapsed, now) -> { });

    assertEquals(6, report.viewers(), report.summary());
    List<VirtualViewer.Snapshot> left = report.perViewer().stream().filter(VirtualViewer.Snapshot::left).toList();
    assertEquals(2, left.size(), "two left during the run");
    assertEquals(Set.of(4, 5), report.perViewer().stream().map(VirtualViewer.Snapshot::index)
        .filter(i -> i >= 4).collect(Collectors.toSet()), "the newcomers take the next indices");
    // Every viewer has left now: those who left during the run read as they did then, not later.
    List<VirtualViewer.Snapshot> after = simulation.snapshot().perViewer();
    for (VirtualViewer.Snapshot before : left) {
      assertEquals(before, after.stream().filter(s -> s.index() == before.index()).findFirst().orElseThrow());
    }
    // The viewers there from the start and still there played; a newcomer of the last seconds may not
    // have had its first segment yet on a busy machine.
    assertTrue(report.perViewer().stream().filter(s -> !s.left() && s.index() < 4)
        .allMatch(s -> played.getOrDefault(s.index(), 0L) > 0),
        "every first viewer still there was told of what it played: " + played);
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> RtcRuntime.shared().openSessions() == 0);
  }
}
