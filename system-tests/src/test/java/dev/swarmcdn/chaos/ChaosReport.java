package dev.swarmcdn.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The suite's report: each scenario's {@link ScenarioResult} printed and added as a row to a
 * Markdown table in {@code chaos.report} (default {@code target/chaos-report.md}), which the
 * benchmark prints at its end.
 */
final class ChaosReport {
  private static final Path FILE = Path.of(System.getProperty("chaos.report", "target/chaos-report.md"));

  private ChaosReport() {}

  static synchronized void add(ScenarioResult result) throws IOException {
    if (!Files.exists(FILE)) {
      Files.createDirectories(FILE.toAbsolutePath().getParent());
      Files.writeString(FILE, ScenarioResult.header() + "\n", StandardCharsets.UTF_8);
    }
    Files.writeString(FILE, result.row() + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    System.out.println("chaos: " + result.row());
  }
}
