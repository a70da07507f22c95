package dev.swarmcdn.chaos;

import dev.swarmcdn.peer.simulate.SimulationReport;
import java.time.Duration;

/**
 * What one chaos scenario measured: what the edges served during the fault, the viewers' stalls and
 * stalled time from the fault until the end of the scenario, and the time to recover.
 *
 * @param fault     what was done, in a few words
 * @param served    requests the edges still in service answered during the fault
 * @param loadErrors segment loads of the viewers' players that failed and were tried again
 * @param recovery  from the fault's end (the part back, or the kill for a lasting fault) until
 *                  every viewer got a segment again; null when the viewers never stopped
 * @param notes     the scenario's own figures (failovers, disk counters, the audit)
 */
record ScenarioResult(String scenario, String fault, int viewers, EdgeTally served, long stalls, long stalledMs,
    long longestStallMs, long loadErrors, Duration recovery, String notes) {

  /** The stall figures between two reports of the same viewers. */
  static ScenarioResult of(String scenario, String fault, SimulationReport before, SimulationReport after,
      EdgeTally served, Duration recovery, String notes) {
    long longest = after.perViewer().stream().mapToLong(v -> v.playback().longestStallMs()).max().orElse(0);
    long errors = after.perViewer().stream().mapToLong(v -> v.playback().errors()).sum()
        - before.perViewer().stream().mapToLong(v -> v.playback().errors()).sum();
    return new ScenarioResult(scenario, fault, after.viewers(), served, after.stalls() - before.stalls(),
        after.stalledMs() - before.stalledMs(), longest, errors, recovery, notes);
  }

  /** A row of the report's table. */
  String row() {
    return String.join(" | ", "| " + scenario, fault, Integer.toString(viewers), served.toString(),
        Long.toString(stalls), String.format("%.1f s", stalledMs / 1000.0), String.format("%.1f s", longestStallMs / 1000.0), Long.toString(loadErrors),
        recovery == null ? "-" : String.format("%.1f s", recovery.toMillis() / 1000.0), notes + " |");
  }

  static String header() {
    return "| Scenario | Fault | Viewers | Edge requests served during the fault | Stalls | Stalled time (all viewers) "
        + "| Longest stall | Segment loads failed | Time to recover | Notes |\n|---|---|---|---|---|---|---|---|---|---|";
  }
}
