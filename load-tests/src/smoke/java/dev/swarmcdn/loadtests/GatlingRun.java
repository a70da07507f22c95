package dev.swarmcdn.loadtests;

import io.gatling.app.Gatling$;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs one simulation in this JVM, as {@code mvn gatling:test} would in its own: the settings go in as
 * system properties (where {@link Settings} reads them) for the run only.
 */
final class GatlingRun {

  private GatlingRun() {}

  /** @return Gatling's status: 0 when the run completed and every assertion held */
  static synchronized int run(Class<?> simulation, Map<String, String> settings, Path resultsFolder) {
    settings.forEach(System::setProperty);
    try {
      return Gatling$.MODULE$.fromArgs(new String[] {
          "--simulation", simulation.getName(),
          "--results-folder", resultsFolder.toString(),
          "--run-description", "smoke run of mvn verify"});
    } finally {
      settings.keySet().forEach(System::clearProperty);
    }
  }
}
