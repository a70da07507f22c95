package dev.swarmcdn.peer.simulate;

import dev.swarmcdn.peer.stats.FallbackReason;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What a simulation's viewers did, added up, with each viewer's figures.
 *
 * @param deliveredHttp  segment bytes the players got over HTTP
 * @param deliveredP2p   ... from peers (viewers only: an engine's bytes are a viewer's)
 * @param deliveredSeeder ... from edge seeders over data channels: edge bytes, never P2P
 * @param p2pShare       deliveredP2p over all delivered
 * @param stalls         stalls of all viewers
 * @param stalledMs      stalled time of all viewers
 * @param integrityFailures  segments with bytes from peers that failed their check
 */
public record SimulationReport(int viewers, long deliveredHttp, long deliveredP2p, long deliveredSeeder, double p2pShare,
    long uploaded,
    long stalls, long stalledMs, long integrityFailures, List<VirtualViewer.Snapshot> perViewer) {

  public static SimulationReport of(List<VirtualViewer.Snapshot> snapshots) {
    long http = 0;
    long p2p = 0;
    long seeder = 0;
    long uploaded = 0;
    long stalls = 0;
    long stalledMs = 0;
    long failures = 0;
    for (VirtualViewer.Snapshot s : snapshots) {
      http += s.engine().deliveredHttp();
      p2p += s.engine().deliveredP2p();
      seeder += s.engine().deliveredSeeder();
      uploaded += s.engine().uploaded();
      stalls += s.playback().stalls();
      stalledMs += s.playback().stalledMs();
      failures += s.engine().integrityFailures();
    }
    long total = http + p2p + seeder;
    return new SimulationReport(snapshots.size(), http, p2p, seeder, total > 0 ? (double) p2p / total : 0, uploaded, stalls,
        stalledMs, failures, List.copyOf(snapshots));
  }

  /** Bytes the players got from edges, over HTTP and over seeders' data channels. */
  public long deliveredEdge() {
    return deliveredHttp + deliveredSeeder;
  }

  /** One line for people. */
  public String summary() {
    return String.format("%d viewers: %.1f %% from peers (%d MB http, %d MB seeder, %d MB p2p), %d stalls (%d ms), %d integrity failures; "
        + "peer transfers given up: %s",
        viewers, p2pShare * 100, deliveredHttp >> 20, deliveredSeeder >> 20, deliveredP2p >> 20, stalls, stalledMs, integrityFailures, fallbacks());
  }

  /** Peer transfers given up, by reason, over all viewers. */
  public Map<FallbackReason, Long> fallbacks() {
    Map<FallbackReason, Long> total = new EnumMap<>(FallbackReason.class);
    for (VirtualViewer.Snapshot s : perViewer) {
      s.engine().fallbacks().forEach((reason, count) -> total.merge(reason, count, Long::sum));
    }
    return total;
  }
}
