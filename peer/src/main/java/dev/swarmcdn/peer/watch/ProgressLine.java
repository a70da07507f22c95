package dev.swarmcdn.peer.watch;

import dev.swarmcdn.peer.stats.StatsSnapshot;
import java.util.Locale;

/**
 * The line the desktop peer prints every second: how much of what the local player got came from
 * peers, how many peers, how fast bytes come in (and from where) and go out, and integrity failures.
 */
final class ProgressLine {
  private ProgressLine() {
  }

  /** The line for {@code now}, with rates since {@code before} (null: none yet). */
  static String format(EngineSample before, EngineSample now) {
    StatsSnapshot s = now.stats();
    double seconds = before == null ? 0 : Math.max(0.001, (now.atMillis() - before.atMillis()) / 1000.0);
    double downHttp = rate(before == null ? 0 : before.stats().downloadedHttp(), s.downloadedHttp(), seconds);
    double downP2p = rate(before == null ? 0 : before.stats().downloadedP2p(), s.downloadedP2p(), seconds);
    double up = rate(before == null ? 0 : before.stats().uploaded(), s.uploaded(), seconds);
    return String.format(Locale.ROOT,
        "p2p %5.1f%% of %s | peers %d | down %s/s (p2p %s/s) | up %s/s | integrity failures %d | tracker %s",
        s.p2pShare() * 100, bytes(s.deliveredHttp() + s.deliveredSeeder() + s.deliveredP2p()), s.peers(), bytes(downHttp + downP2p),
        bytes(downP2p), bytes(up), s.integrityFailures(), s.tracker());
  }

  private static double rate(long from, long to, double seconds) {
    return seconds <= 0 ? 0 : Math.max(0, to - from) / seconds;
  }

  /** Bytes in B, kB, MB (powers of 1000, as the demo page shows them). */
  static String bytes(double value) {
    if (value < 1000) {
      return String.format(Locale.ROOT, "%.0f B", value);
    }
    if (value < 1_000_000) {
      return String.format(Locale.ROOT, "%.1f kB", value / 1000);
    }
    return String.format(Locale.ROOT, "%.2f MB", value / 1_000_000);
  }
}
