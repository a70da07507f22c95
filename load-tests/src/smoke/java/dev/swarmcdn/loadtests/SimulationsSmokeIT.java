package dev.swarmcdn.loadtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each simulation for a few seconds with a few viewers against a system started here, so that they
 * keep working as the system changes; its assertions (no failed request or check, and each
 * simulation's own) fail the build. The full runs are benchmarks: load-tests/README.md.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SimulationsSmokeIT {

  @TempDir static Path dir;
  private static SmokeSystem system;
  private static final Path REPORTS = Paths.get("target", "gatling");

  @BeforeAll
  static void startSystem() throws Exception {
    system = SmokeSystem.start(dir);
    Files.createDirectories(REPORTS);
  }

  @AfterAll
  static void stopSystem() {
    if (system != null) {
      system.close();
    }
  }

  @Test
  void hlsLiveViewers() {
    // 6 s: three playlist reloads at the demo's 2-s target duration, so viewers fetch new segments too.
    // The bound is the full run's business: here the system, a cold JIT and Gatling share two cores with
    // whatever else CI runs, so a generous one keeps the assertion wired without making it flaky.
    assertPasses(HlsLiveViewers.class, Map.of("viewers", "3", "ramp", "1", "duration", "6", "segmentP99Ms", "10000"));
  }

  @Test
  void vodViewers() {
    assertPasses(VodViewers.class,
        Map.of("viewers", "2", "ramp", "1", "duration", "3", "title", SmokeSystem.VOD_TITLE));
  }

  @Test
  void trackerSignalling() {
    assertPasses(TrackerSignalling.class, Map.of("viewers", "4", "ramp", "1", "duration", "3", "rate", "2"));
  }

  @Test
  void routeBurst() {
    assertPasses(RouteBurst.class, Map.of("viewers", "40", "duration", "2"));
  }

  @Test
  void aWrongAnswerFailsTheRun() {
    // The checks can fail: the tracker refuses a stream id that is not one, so every answer is a 400.
    Map<String, String> settings = new HashMap<>(Map.of("viewers", "5", "duration", "1", "stream", ".."));
    settings.put("tracker", system.tracker());
    assertNotEquals(0, GatlingRun.run(RouteBurst.class, settings, REPORTS));
  }

  private static void assertPasses(Class<?> simulation, Map<String, String> load) {
    Map<String, String> settings = new HashMap<>(load);
    settings.put("edge", system.edge());
    settings.put("tracker", system.tracker());
    assertEquals(0, GatlingRun.run(simulation, settings, REPORTS),
        simulation.getSimpleName() + ": a request or check failed, or an assertion did not hold (see its output above)");
  }
}
