package dev.swarmcdn.peer.stats;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The counters behind {@link StatsSnapshot}: bytes by source (delivered to the player, downloaded,
 * uploaded), a per-second history, integrity failures and why transfers fell back. Confined to the
 * engine's thread.
 */
public final class EngineStats {
  private static final int HISTORY_SECONDS = 120;

  private final LongSupplier now;
  private final long startedAt;
  private long deliveredHttp;
  private long deliveredP2p;
  private long deliveredSeeder;
  private long segmentsHttp;
  private long segmentsP2p;
  private long segmentsSeeder;
  private long downloadedHttp;
  private long downloadedP2p;
  private long downloadedSeeder;
  private long uploaded;
  private long integrityFailures;
  private long rescues;
  private long assignedFetches;
  private long edgeFailovers;
  private long trackerFailovers;
  private final Map<FallbackReason, Long> fallbacks = new EnumMap<>(FallbackReason.class);
  private int p2pInFlight;
  private final ArrayDeque<long[]> history = new ArrayDeque<>();

  public EngineStats(LongSupplier now) {
    this.now = now;
    this.startedAt = now.getAsLong();
    for (FallbackReason reason : FallbackReason.values()) {
      fallbacks.put(reason, 0L);
    }
  }

  /** The current second's counters: {t, http, p2p, seeder, upload}. */
  private long[] second() {
    long t = (now.getAsLong() - startedAt) / 1000;
    long[] last = history.peekLast();
    if (last == null || last[0] != t) {
      last = new long[] {t, 0, 0, 0, 0};
      history.addLast(last);
      while (history.size() > HISTORY_SECONDS) {
        history.removeFirst();
      }
    }
    return last;
  }

  public void downloadedHttp(long bytes) {
    downloadedHttp += bytes;
    second()[1] += bytes;
  }

  public void downloadedP2p(long bytes) {
    downloadedP2p += bytes;
    second()[2] += bytes;
  }

  /** Bytes from an edge seeder over a data channel: edge bytes, never P2P. */
  public void downloadedSeeder(long bytes) {
    downloadedSeeder += bytes;
    second()[3] += bytes;
  }

  public void uploaded(long bytes) {
    uploaded += bytes;
    second()[4] += bytes;
  }

  /** A segment handed to the player; it counts as a segment of the source most of its bytes came from. */
  public void deliveredSegment(long httpBytes, long p2pBytes, long seederBytes) {
    deliveredHttp += httpBytes;
    deliveredP2p += p2pBytes;
    deliveredSeeder += seederBytes;
    if (p2pBytes > httpBytes && p2pBytes > seederBytes) {
      segmentsP2p++;
    } else if (seederBytes > httpBytes) {
      segmentsSeeder++;
    } else {
      segmentsHttp++;
    }
  }

  public void fellBack(FallbackReason reason) {
    fallbacks.merge(reason, 1L, Long::sum);
    if (reason == FallbackReason.INTEGRITY) {
      integrityFailures++;
    }
  }

  /** A segment (or its rest) asked of an edge seeder instead of HTTP. */
  public void rescued() {
    rescues++;
  }

  /** A segment the tracker assigned to this viewer was fetched ahead of the player. */
  public void assignedFetched() {
    assignedFetches++;
  }

  /** The engine moved to another edge after its edge failed. */
  public void failedOverEdge() {
    edgeFailovers++;
  }

  /** The engine's tracker connection came back on another tracker than the one it had. */
  public void failedOverTracker() {
    trackerFailovers++;
  }

  public void transferStarted() {
    p2pInFlight++;
  }

  public void transferEnded() {
    p2pInFlight--;
  }

  public long deliveredP2p() {
    return deliveredP2p;
  }

  public long deliveredHttp() {
    return deliveredHttp;
  }

  public long deliveredSeeder() {
    return deliveredSeeder;
  }

  /** @param peers  connected viewers; @param seeders  connected edge seeders */
  public StatsSnapshot snapshot(int peers, int seeders, String swarm, String tracker, int uploadsActive) {
    second();
    long total = deliveredHttp + deliveredP2p + deliveredSeeder;
    List<StatsSnapshot.Second> seconds = new ArrayList<>(history.size());
    for (long[] s : history) {
      seconds.add(new StatsSnapshot.Second(s[0], s[1], s[2], s[3], s[4]));
    }
    return new StatsSnapshot(deliveredHttp, deliveredP2p, deliveredSeeder, segmentsHttp, segmentsP2p, segmentsSeeder,
        downloadedHttp, downloadedP2p, downloadedSeeder, uploaded, total > 0 ? (double) deliveredP2p / total : 0, peers, seeders, swarm, tracker, integrityFailures, rescues, assignedFetches,
        edgeFailovers, trackerFailovers, fallbacks,
        p2pInFlight, uploadsActive, seconds);
  }
}
