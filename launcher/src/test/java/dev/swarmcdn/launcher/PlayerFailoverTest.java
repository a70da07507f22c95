package dev.swarmcdn.launcher;

import dev.swarmcdn.edge.EdgeServer;
import dev.swarmcdn.kit.http.PlayerPage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Edge failover in Chromium: the demo with two edges, the player page (served by the origin, which
 * outlives the edges) routed to one of them by /route; {@code web-player/test/e2e/failover.mjs}
 * cues the stop of that edge mid-session and checks that the page moves to the other and plays on.
 * Skipped where the system's Chromium is missing.
 */
class PlayerFailoverTest {

  private static final Duration RUN_BOUND = Duration.ofMinutes(4);

  @RegisterExtension final LightDemo demos = new LightDemo();
  @TempDir Path dir;
  private Demo demo;

  @Test
  void aPageRoutedToAnEdgeThatDiesMovesToTheOtherAndPlaysOn() throws Exception {
    BrowserScript.assumeRunnable();
    demo = demos.start(dir, 2);
    BrowserScript.assertPasses("failover", RUN_BOUND, this::stopEdge, "test/e2e/failover.mjs",
        "--page", demo.originUrl() + PlayerPage.PATH, "--route", demo.tracker().baseUrl() + "/route",
        "--edges", String.join(",", demo.edgeUrls()));
  }

  /** The script's cue {@code stop-edge URL}: that edge stops as a dying edge's process would (it deregisters, then closes). */
  private String stopEdge(String request) throws Exception {
    String url = request.substring("stop-edge ".length());
    EdgeServer edge = demo.edges().stream().filter(e -> e.baseUrl().equals(url)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no edge " + url + " in " + demo.edgeUrls()));
    edge.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    return "stopped";
  }
}
