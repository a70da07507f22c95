package dev.swarmcdn.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.swarmcdn.origin.Rendition;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web player end to end, in headless Chromium against the demo stack started here (origin
 * with a live stream, an edge, a tracker): {@code web-player/test/e2e/swarm.mjs} plays the stream
 * in several pages and checks P2P share, steady playback, tampered bytes and a vanishing peer. It
 * prints its measurements (E2E-REPORT) and exits non-zero on a failed check. Skipped where the
 * system's Chromium is missing (scripts/install-deps installs it).
 */
class PlayerSwarmTest {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path WEB_PLAYER = Path.of("..", "web-player").toAbsolutePath().normalize();
  private static final Duration RUN_BOUND = Duration.ofMinutes(7);

  @TempDir Path dir;
  private Demo demo;

  @AfterEach
  void stop() {
    if (demo != null) {
      demo.close();
    }
  }

  @Test
  void viewersShareTheLiveStreamInChromium() throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM), "no " + CHROMIUM + " (scripts/install-deps installs it): browser end-to-end test skipped");
    assumeTrue(Files.isDirectory(WEB_PLAYER.resolve("node_modules/playwright-core")),
        "web-player's npm dependencies are not installed (the web-player module's build installs them)");

    // One edge and a lighter ladder than the demo's: CI shares two cores with the browser's pages.
    demo = Demo.start(Demo.defaultOrigin(0, dir.resolve("data"), dir.resolve("media"))
            .withLadder(Rendition.parseLadder("360p:640x360:600,180p:320x180:200"), 15),
        List.of(0), 0);
    String edge = demo.edgeUrls().get(0);
    HttpClient http = HttpClient.newHttpClient();
    // Players start three segments behind the live edge: wait until the window has them.
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
      HttpResponse<String> playlist = http.send(HttpRequest.newBuilder(URI.create(edge + "/live/" + Demo.STREAM
          + "/360p/index.m3u8")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      return playlist.statusCode() == 200 && playlist.body().split("#EXTINF", -1).length > 4;
    });

    BrowserScript.assertPasses(WEB_PLAYER, "e2e", RUN_BOUND, "node", "test/e2e/swarm.mjs", "--edge", edge,
        "--tracker", demo.tracker().webSocketUrl());
  }
}
