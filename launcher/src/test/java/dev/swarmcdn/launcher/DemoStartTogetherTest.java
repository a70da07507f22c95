package dev.swarmcdn.launcher;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new user's first minute, repeated: a freshly started demo (two edges, their seeders, the
 * tracker's steering), two tabs of the player page opened at the same moment - one with the
 * tracker's URL, one finding it through /route - while other work keeps both cores busy. Every
 * round, each tab must move segment bytes to or from the other within 30 s of its first frame
 * ({@code web-player/test/e2e/together.mjs}): two viewers that connect and never share is the
 * defect users of P2P players report most, and it was once seen in exactly this start.
 */
class DemoStartTogetherTest {

  private static final int ROUNDS = 3;
  private static final Duration ROUND_BOUND = Duration.ofMinutes(2);

  @TempDir Path dir;

  @Test
  void tabsOpenedTogetherOnAFreshDemoShareEveryTime() throws Exception {
    BrowserScript.assumeRunnable();
    HttpClient http = HttpClient.newHttpClient();
    List<Process> busy = keepCoresBusy();
    try {
      for (int round = 1; round <= ROUNDS; round++) {
        try (Demo demo = LightDemo.start(dir.resolve("round-" + round), 2, null, http)) {
          BrowserScript.assertPasses("together-" + round, ROUND_BOUND, "test/e2e/together.mjs",
              "--edge", demo.edgeUrls().get(0), "--tracker", demo.tracker().webSocketUrl());
        }
      }
    } finally {
      for (Process spinner : busy) {
        spinner.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /** One spinning shell per core, niced so that it takes what the system leaves, as other work would. */
  private static List<Process> keepCoresBusy() throws IOException {
    List<Process> spinners = new ArrayList<>();
    for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
      spinners.add(new ProcessBuilder("nice", "-n", "10", "sh", "-c", "while :; do :; done")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
    }
    return spinners;
  }
}
