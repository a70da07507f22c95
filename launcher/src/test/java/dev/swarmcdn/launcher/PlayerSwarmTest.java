package dev.swarmcdn.launcher;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web player end to end, in headless Chromium against the demo stack started here (origin
 * with a live stream, an edge, a tracker): {@code web-player/test/e2e/swarm.mjs} plays the stream
 * in several pages and checks P2P share, steady playback, tampered bytes and a vanishing peer. It
 * prints its measurements (E2E-REPORT) and exits non-zero on a failed check. Skipped where the
 * system's Chromium is missing (scripts/install-deps installs it).
 */
class PlayerSwarmTest {

  private static final Duration RUN_BOUND = Duration.ofMinutes(7);

  @RegisterExtension final LightDemo demos = new LightDemo();
  @TempDir Path dir;

  @Test
  void viewersShareTheLiveStreamInChromium() throws Exception {
    BrowserScript.assumeRunnable();
    Demo demo = demos.start(dir, 1);
    BrowserScript.assertPasses("e2e", RUN_BOUND, "test/e2e/swarm.mjs", "--edge", demo.edgeUrls().get(0),
        "--tracker", demo.tracker().webSocketUrl());
  }
}
