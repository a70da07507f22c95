package dev.swarmcdn.kit.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The line a server in a process of its own prints once it listens ("origin listening on URL"),
 * read from the file its output goes to, for tests that run real processes (and kill them).
 */
public final class ListeningLine {
  private ListeningLine() {}

  /**
   * Waits until the output written to {@code output} after its first {@code from} bytes matches
   * {@code pattern}, and returns the pattern's first group. Fails at once, with that output, when
   * the process exits first; destroys it when the bound passes.
   */
  public static String await(String what, Process process, Path output, long from, Pattern pattern, Duration bound) {
    AtomicReference<String> found = new AtomicReference<>();
    try {
      org.awaitility.Awaitility.await(what + " listening").atMost(bound).pollInterval(Duration.ofMillis(100)).until(() -> {
        String since = Files.readString(output, StandardCharsets.UTF_8).substring((int) from);
        if (!process.isAlive()) {
          throw new IllegalStateException(what + " exited with " + process.exitValue() + ": " + since);
        }
        Matcher listening = pattern.matcher(since);
        if (listening.find()) {
          found.set(listening.group(1));
          return true;
        }
        return false;
      });
    } catch (RuntimeException e) {
      process.destroyForcibly();
      throw e;
    }
    return found.get();
  }
}
