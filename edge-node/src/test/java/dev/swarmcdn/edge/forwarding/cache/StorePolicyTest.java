package dev.swarmcdn.edge.forwarding.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.kit.http.HttpDates;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.vertx.core.MultiMap;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** What the cache may keep of a response, for how long, and how a 304 refreshes it. */
class StorePolicyTest {

  private static final long NOW = 1_700_000_000_000L;
  private static final CacheKey SEGMENT = new CacheKey("origin", "/live/seg_1.m4s", "");
  private static final CacheKey PLAYLIST = new CacheKey("origin", "/live/index.m3u8", "");

  /** Upstream freshness, the operator's default windows: 2 s while revalidating, 60 s on error. */
  private final StorePolicy policy = new StorePolicy(
      new FreshnessPolicy(null, null, Duration.ofSeconds(2), Duration.ofSeconds(60)));

  @ParameterizedTest(name = "{0} [{1}] [{2}] -> {3}")
  @CsvSource(delimiter = ';', nullValues = "-", textBlock = """
      200; -;                               -;                              true
      200; max-age=60;                      -;                              true
      200; public, max-age=60;              Accept-Encoding;                true
      200; max-age=60;                      Origin, Accept-Encoding;        true
      200; no-store;                        -;                              false
      200; private, max-age=60;             -;                              false
      200; max-age=60, no-store;            -;                              false
      200; no-cache;                        -;                              true
      200; max-age=60;                      Cookie;                         false
      200; max-age=60;                      *;                              false
      200; max-age=60;                      Accept-Encoding, User-Agent;    false
      206; max-age=60;                      -;                              false
      304; max-age=60;                      -;                              false
      404; max-age=60;                      -;                              false
      500; -;                               -;                              false
      """)
  void storesOnlyA200ASharedCacheMayKeepInOneVariant(int status, String cacheControl, String vary,
      boolean storable) {
    assertEquals(storable, policy.storable(status, headers("Cache-Control", cacheControl, "Vary", vary)));
  }

  @Test
  void anEntryTakesItsFreshnessAndWindowsFromItsHeaders() {
    StoredResponse entry = entry(SEGMENT, "Cache-Control", "max-age=60, stale-while-revalidate=5, stale-if-error=30",
        "ETag", "\"e\"", "Last-Modified", HttpDates.format(NOW - 1000), "Age", "10", "Connection", "close");
    assertEquals(60_000, entry.freshFor());
    assertEquals(5_000, entry.staleWhileRevalidate());
    assertEquals(30_000, entry.staleIfError());
    assertEquals(10, entry.ageSeconds());
    assertEquals(NOW, entry.dateMillis(), "no Date: the response time");
    assertEquals("\"e\"", entry.etag());
    assertEquals(HttpDates.format(NOW - 1000), entry.lastModified());
    assertFalse(entry.headers().contains("Connection"), "hop-by-hop headers are not stored");
    assertFalse(entry.alwaysRevalidate());
    assertEquals(StoredResponse.Usability.FRESH, entry.usability(NOW + 49_000));
    assertEquals(StoredResponse.Usability.STALE_WHILE_REVALIDATE, entry.usability(NOW + 51_000));
    assertEquals(StoredResponse.Usability.MUST_REVALIDATE, entry.usability(NOW + 56_000));
    assertTrue(entry.usableOnError(NOW + 79_000));
    assertFalse(entry.usableOnError(NOW + 81_000));
    entry.body().release();
  }

  @Test
  void theOperatorsWindowsApplyWhenTheResponseNamesNoneAndNeverWhenItForbidsStaleUse() {
    StoredResponse plain = entry(SEGMENT, "Cache-Control", "max-age=60");
    assertEquals(2_000, plain.staleWhileRevalidate());
    assertEquals(60_000, plain.staleIfError());
    plain.body().release();
    for (String forbidding : new String[] {"max-age=60, must-revalidate", "s-maxage=60", "no-cache"}) {
      StoredResponse strict = entry(SEGMENT, "Cache-Control", forbidding + ", stale-if-error=600");
      assertEquals(0, strict.staleWhileRevalidate(), forbidding);
      assertEquals(0, strict.staleIfError(), forbidding);
      strict.body().release();
    }
  }

  @Test
  void noCacheIsStoredButRevalidatedBeforeEveryUse() {
    StoredResponse entry = entry(PLAYLIST, "Cache-Control", "no-cache, max-age=600");
    assertTrue(entry.alwaysRevalidate());
    assertEquals(StoredResponse.Usability.MUST_REVALIDATE, entry.usability(NOW));
    entry.body().release();
  }

  @Test
  void expiresCountsFromTheUpstreamsDateAndHeuristicsFromLastModified() {
    StoredResponse expires = entry(SEGMENT, "Date", HttpDates.format(NOW - 5_000),
        "Expires", HttpDates.format(NOW + 55_000));
    assertEquals(60_000, expires.freshFor());
    assertEquals(NOW - 5_000, expires.dateMillis());
    expires.body().release();
    StoredResponse heuristic = entry(SEGMENT, "Last-Modified", HttpDates.format(NOW - 100_000));
    assertEquals(10_000, heuristic.freshFor(), "a tenth of the time since it last changed");
    heuristic.body().release();
  }

  @Test
  void operatorTtlsWinPerKindOfObject() {
    StorePolicy operator = new StorePolicy(new FreshnessPolicy(Duration.ZERO, Duration.ofDays(1),
        Duration.ZERO, Duration.ZERO));
    StoredResponse playlist = operator.entry(PLAYLIST, headers("Cache-Control", "max-age=600"), body(), 1, NOW, NOW);
    StoredResponse segment = operator.entry(SEGMENT, headers("Cache-Control", "max-age=0"), body(), 1, NOW, NOW);
    assertEquals(0, playlist.freshFor());
    assertEquals(Duration.ofDays(1).toMillis(), segment.freshFor());
    playlist.body().release();
    segment.body().release();
  }

  @Test
  void a304RefreshesFromTheStoredHeadersAsItUpdatedThemAndSharesTheBody() {
    StoredResponse stored = entry(SEGMENT, "Cache-Control", "max-age=60", "ETag", "\"e\"", "Content-Type", "video/mp4");
    MultiMap notModified = headers("Cache-Control", "max-age=600", "ETag", "\"e\"", "Content-Length", "0",
        "Age", "3");
    StoredResponse refreshed = policy.refreshed(SEGMENT, stored, notModified, NOW + 70_000, NOW + 70_100);
    assertSame(stored.body(), refreshed.body());
    assertEquals(2, stored.body().refCnt(), "the refreshed entry holds a reference of its own");
    assertEquals(600_000, refreshed.freshFor());
    assertEquals(3, refreshed.ageSeconds());
    assertEquals(NOW + 70_100, refreshed.responseTime());
    assertEquals("video/mp4", refreshed.headers().get("Content-Type"), "kept from the stored headers");
    assertEquals("max-age=600", refreshed.headers().get("Cache-Control"), "replaced by the 304's");
    assertNull(refreshed.headers().get("Content-Length"), "a 304's length describes nothing stored");
    refreshed.body().release();
    stored.body().release();
    assertNull(policy.refreshed(SEGMENT, stored, notModified, NOW, NOW), "a freed body is refreshed into nothing");
  }

  private StoredResponse entry(CacheKey key, String... headerPairs) {
    return policy.entry(key, headers(headerPairs), body(), 1, NOW, NOW);
  }

  private static PagedBody body() {
    PagedBody body = new PagedBody(UnpooledByteBufAllocator.DEFAULT);
    body.append(Unpooled.wrappedBuffer(new byte[] {1}));
    return body;
  }

  private static MultiMap headers(String... pairs) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i + 1] != null) {
        headers.add(pairs[i], pairs[i + 1]);
      }
    }
    return headers;
  }
}
