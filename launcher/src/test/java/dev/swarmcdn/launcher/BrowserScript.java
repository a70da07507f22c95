package dev.swarmcdn.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of web-player's end-to-end scripts (test/e2e/*.mjs, Chromium through playwright-core)
 * within a bound, echoing its lines with a tag, and asserts it ended well: exit 0 and E2E-OK. A
 * script may ask the test to act mid-run (e2e-run.mjs's {@code cue}: a line {@code E2E-CUE
 * REQUEST}); the test's {@link Cues} answers, on the script's standard input.
 */
final class BrowserScript {
  private static final String CUE = "E2E-CUE ";

  /** What a test does when its script asks: the answer is one line back to the script. */
  @FunctionalInterface
  interface Cues {
    /** Refuses every request: for scripts that make no cue. */
    Cues NONE = request -> "error: this test answers no cue";

    String answer(String request) throws Exception;
  }

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path WEB_PLAYER = Path.of("..", "web-player").toAbsolutePath().normalize();

  private BrowserScript() {
  }

  /** Skips the calling test where the system's Chromium or web-player's npm dependencies are missing. */
  static void assumeRunnable() {
    assumeTrue(Files.isExecutable(CHROMIUM), "no " + CHROMIUM + " (scripts/install-deps installs it): browser end-to-end test skipped");
    assumeTrue(Files.isDirectory(WEB_PLAYER.resolve("node_modules/playwright-core")),
        "web-player's npm dependencies are not installed (the web-player module's build installs them)");
  }

  /** Runs {@code node SCRIPT ARGS...} in web-player, the script named from there (test/e2e/x.mjs). */
  static void assertPasses(String tag, Duration bound, String script, String... args) throws Exception {
    assertPasses(tag, bound, Cues.NONE, script, args);
  }

  /** As {@link #assertPasses(String, Duration, String, String...)}, answering the script's cues with {@code cues}. */
  static void assertPasses(String tag, Duration bound, Cues cues, String script, String... args) throws Exception {
    String[] command = new String[args.length + 2];
    command[0] = "node";
    command[1] = script;
    System.arraycopy(args, 0, command, 2, args.length);
    Process node = new ProcessBuilder(command).directory(WEB_PLAYER.toFile()).redirectErrorStream(true).start();
    StringBuilder output = new StringBuilder();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = lines.readLine()) != null; ) {
          System.out.println("[" + tag + "] " + line);
          synchronized (output) {
            output.append(line).append('\n');
          }
          if (line.startsWith(CUE)) {
            answer(node, cues, line.substring(CUE.length()), tag);
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

  /** On the output's thread: the script waits for this line before it goes on. */
  private static void answer(Process node, Cues cues, String request, String tag) throws IOException {
    String answer;
    try {
      answer = cues.answer(request);
    } catch (Exception e) {
      answer = "error: " + e;
    }
    String line = answer.replace('\n', ' ');
    System.out.println("[" + tag + "] cue " + request + " -> " + line);
    node.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
    node.getOutputStream().flush();
  }
}
