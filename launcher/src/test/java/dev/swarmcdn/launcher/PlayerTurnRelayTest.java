package dev.swarmcdn.launcher;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TURN relay in Chromium: the demo with its coturn relay (as {@code ./cdn demo} starts it), two
 * pages of the player with {@code ice-transport-policy=relay} finding edge, tracker and relay through
 * /route; {@code web-player/test/e2e/relay.mjs} checks that segment bytes move between them over
 * relay candidates only. Skipped only where turnserver or Chromium is missing (CI installs both).
 */
class PlayerTurnRelayTest {

  private static final Duration RUN_BOUND = Duration.ofMinutes(4);

  @RegisterExtension final LightDemo demos = new LightDemo();
  @TempDir Path dir;

  @Test
  void twoRelayOnlyPagesShareSegmentsThroughTheDemosRelay() throws Exception {
    BrowserScript.assumeRunnable();
    assumeTrue(CoturnRelay.installed().isPresent(), "no turnserver (coturn; scripts/install-deps installs it): skipped");
    Demo demo = demos.start(dir, 1);
    assertNotNull(demo.relay().server(), "the demo's relay did not start: " + demo.relay().whyNot());
    BrowserScript.assertPasses("relay", RUN_BOUND, "test/e2e/relay.mjs", "--page", demo.edgeUrls().get(0) + "/player/",
        "--route", demo.tracker().baseUrl() + "/route");
  }
}
