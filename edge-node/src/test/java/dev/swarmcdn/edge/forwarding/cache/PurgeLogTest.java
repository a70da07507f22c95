package dev.swarmcdn.edge.forwarding.cache;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PurgeLogTest {

  private static final CacheKey LIVE = new CacheKey("origin", "/live/a.m4s", "");
  private static final CacheKey VOD = new CacheKey("origin", "/vod/b.m4s", "");

  @Test
  void onlyPurgesAfterTheMarkThatMatchTheKeyCount() {
    PurgeLog log = new PurgeLog();
    long before = log.mark();
    log.record(key -> key.path().startsWith("/live/"));
    long after = log.mark();
    assertTrue(log.purgedSince(LIVE, before));
    assertFalse(log.purgedSince(VOD, before), "another prefix");
    assertFalse(log.purgedSince(LIVE, after), "work begun after the purge stores");
  }

  @Test
  void workOlderThanEveryKeptPurgeCountsAsPurged() {
    PurgeLog log = new PurgeLog();
    long ancient = log.mark();
    for (int i = 0; i <= PurgeLog.MAX_KEPT; i++) {
      log.record(key -> key.path().equals("/other"));
    }
    assertTrue(log.purgedSince(VOD, ancient), "cannot tell any more: not stored, never wrong");
    assertFalse(log.purgedSince(VOD, log.mark() - 1), "a purge still kept that does not match");
  }
}
