package dev.swarmcdn.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a systemd unit of deploy/systemd hands the launcher: its ExecStart's command, its Environment= lines. */
final class SystemdUnit {
  private SystemdUnit() {}

  /** The {@code cdn} command of ExecStart ({@code origin}, {@code edge}...). */
  static String command(Path unit) throws IOException {
    for (String line : Files.readAllLines(unit)) {
      if (line.startsWith("ExecStart=")) {
        List<String> words = List.of(line.substring("ExecStart=".length()).trim().split("\\s+"));
        return words.get(1);
      }
    }
    throw new IllegalArgumentException(unit + " has no ExecStart");
  }

  /** Its {@code Environment=} settings, {@code %i} made {@code instance}. */
  static Map<String, String> environment(Path unit, String instance) throws IOException {
    Map<String, String> environment = new LinkedHashMap<>();
    for (String line : Files.readAllLines(unit)) {
      if (line.startsWith("Environment=")) {
        put(environment, line.substring("Environment=".length()).replace("%i", instance));
      }
    }
    return environment;
  }

  /** An EnvironmentFile's settings (comments and blank lines skipped). */
  static Map<String, String> environmentFile(Path file) throws IOException {
    Map<String, String> environment = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file)) {
      if (!line.isBlank() && !line.startsWith("#")) {
        put(environment, line);
      }
    }
    return environment;
  }

  private static void put(Map<String, String> environment, String assignment) {
    int equals = assignment.indexOf('=');
    environment.put(assignment.substring(0, equals).trim(), assignment.substring(equals + 1).trim());
  }
}
