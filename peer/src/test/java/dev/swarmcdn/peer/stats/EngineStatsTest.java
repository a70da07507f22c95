package dev.swarmcdn.peer.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The counters behind the engine's statistics. */
class EngineStatsTest {
  private long now = 5000;
  private final EngineStats stats = new EngineStats(() -> now);

  private StatsSnapshot snapshot() {
    return stats.snapshot(3, 1, "demo/360p", "ws://tracker", 1);
  }

  @Test
  void beforeAnythingTheShareIsZero() {
    StatsSnapshot s = snapshot();
    assertEquals(0, s.p2pShare());
    assertEquals(0, s.deliveredHttp() + s.deliveredP2p());
    assertEquals(List.of(new StatsSnapshot.Second(0, 0, 0, 0, 0)), s.history());
    assertEquals(3, s.peers());
    assertEquals("demo/360p", s.swarm());
    assertEquals(1, s.uploadsActive());
  }

  @Test
  void deliveredBytesGiveTheShareAndASegmentCountsWhereMostOfItCameFrom() {
    stats.deliveredSegment(100, 300, 0);
    stats.deliveredSegment(400, 0, 0);
    stats.deliveredSegment(50, 50, 0);
    StatsSnapshot s = snapshot();
    assertEquals(550, s.deliveredHttp());
    assertEquals(350, s.deliveredP2p());
    assertEquals(350.0 / 900, s.p2pShare(), 1e-12);
    assertEquals(1, s.segmentsP2p());
    assertEquals(2, s.segmentsHttp(), "a tie counts as HTTP");
  }

  @Test
  void bytesFromAnEdgeSeederAreEdgeBytesNeverP2p() {
    stats.deliveredSegment(0, 300, 0);
    stats.deliveredSegment(0, 0, 300);
    stats.deliveredSegment(100, 0, 200);
    stats.downloadedSeeder(500);
    StatsSnapshot s = snapshot();
    assertEquals(300, s.deliveredP2p());
    assertEquals(500, s.deliveredSeeder());
    assertEquals(500, s.downloadedSeeder());
    assertEquals(300.0 / 900, s.p2pShare(), 1e-12, "the share counts bytes from viewers only");
    assertEquals(2, s.segmentsSeeder());
    assertEquals(List.of(new StatsSnapshot.Second(0, 0, 0, 500, 0)), s.history());
  }

  @Test
  void downloadsAndUploadsGoIntoTheSecondTheyHappenedIn() {
    stats.downloadedHttp(10);
    now += 999;
    stats.downloadedP2p(20);
    now += 1;
    stats.uploaded(30);
    stats.downloadedHttp(5);
    now += 2000;
    StatsSnapshot s = snapshot();
    assertEquals(List.of(new StatsSnapshot.Second(0, 10, 20, 0, 0), new StatsSnapshot.Second(1, 5, 0, 0, 30),
        new StatsSnapshot.Second(3, 0, 0, 0, 0)), s.history());
    assertEquals(15, s.downloadedHttp());
    assertEquals(20, s.downloadedP2p());
    assertEquals(30, s.uploaded());
  }

  @Test
  void historyKeepsTheLast120Seconds() {
    for (int i = 0; i < 200; i++) {
      stats.uploaded(i);
      now += 1000;
    }
    List<StatsSnapshot.Second> history = snapshot().history();
    assertEquals(120, history.size());
    assertEquals(200, history.get(history.size() - 1).t());
    assertEquals(81, history.get(0).t());
    assertEquals(81, history.get(0).upload());
  }

  @Test
  void fallbacksAreCountedByReasonAndIntegrityFailuresApart() {
    stats.fellBack(FallbackReason.SLOW);
    stats.fellBack(FallbackReason.SLOW);
    stats.fellBack(FallbackReason.INTEGRITY);
    StatsSnapshot s = snapshot();
    assertEquals(2L, s.fallbacks().get(FallbackReason.SLOW));
    assertEquals(1L, s.fallbacks().get(FallbackReason.INTEGRITY));
    assertEquals(0L, s.fallbacks().get(FallbackReason.LATE), "every reason is listed");
    assertEquals(FallbackReason.values().length, s.fallbacks().size());
    assertEquals(1, s.integrityFailures());
  }

  @Test
  void transfersInFlightAreCounted() {
    stats.transferStarted();
    stats.transferStarted();
    stats.transferEnded();
    assertEquals(1, snapshot().p2pInFlight());
  }
}
