package dev.swarmcdn.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of web-player's end-to-end scripts (test/e2e/*.mjs, Chromium through playwright-core)
 * within a bound, echoing its lines with a tag, and asserts it ended well: exit 0 and E2E-OK.
 */
final class BrowserScript {
  private BrowserScript() {
  }

  static void assertPasses(Path webPlayer, String tag, Duration bound, String... command) throws Exception {
    Process node = new ProcessBuilder(command).directory(webPlayer.toFile()).redirectErrorStream(true).start();
    StringBuilder output = new StringBuilder();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = lines.readLine()) != null; ) {
          System.out.println("[" + tag + "] " + line);
          synchronized (output) {
            output.append(line).append('\n');
          }
        }
      } catch (IOException e) {
        // the process ended
      }
    }, tag + "-output");
    reader.setDaemon(true);
    reader.start();
    boolean finished = node.waitFor(bound.toSeconds(), TimeUnit.SECONDS);
    if (!finished) {
      node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    reader.join(5000);
    assertTrue(finished, "the browser test ran longer than " + bound);
    String text;
    synchronized (output) {
      text = output.toString();
    }
    assertEquals(0, node.exitValue(), "browser end-to-end checks failed (" + tag + "):\n" + text);
    assertTrue(text.contains("E2E-OK"), text);
  }
}
