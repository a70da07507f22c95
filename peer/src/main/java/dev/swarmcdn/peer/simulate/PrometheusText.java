package dev.swarmcdn.peer.simulate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One scrape of a Prometheus text exposition, read as numbers by metric name: enough for a
 * benchmark to take counters before and after a run (labels are kept only as text).
 */
final class PrometheusText {
  private final Map<String, List<Double>> values = new HashMap<>();

  private PrometheusText() {
  }

  static PrometheusText parse(String text) {
    PrometheusText parsed = new PrometheusText();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      if (space < 0) {
        continue;
      }
      int nameEnd = brace >= 0 && brace < space ? brace : line.indexOf(' ');
      try {
        double value = Double.parseDouble(line.substring(space + 1).trim());
        parsed.values.computeIfAbsent(line.substring(0, nameEnd), name -> new ArrayList<>()).add(value);
      } catch (NumberFormatException notANumber) {
        // a line of a format this reader does not need (e.g. a timestamp after the value)
      }
    }
    return parsed;
  }

  /** The metric added over all its label sets, 0 when absent. */
  double sum(String name) {
    return values.getOrDefault(name, List.of()).stream().mapToDouble(Double::doubleValue).sum();
  }

  /** The largest value over its label sets, 0 when absent. */
  double max(String name) {
    return values.getOrDefault(name, List.of()).stream().mapToDouble(Double::doubleValue).max().orElse(0);
  }
}
