package dev.swarmcdn.edge.forwarding.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.swarmcdn.edge.forwarding.cache.FreshnessPolicy.Kind;
import dev.swarmcdn.kit.http.HttpDates;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How long a response stays fresh (RFC 9111 section 4.2.1) and the operator's overrides. */
class FreshnessPolicyTest {

  private static final long DATE = 1_700_000_000_000L;
  private final FreshnessPolicy follow = new FreshnessPolicy(null, null, Duration.ofSeconds(2), Duration.ofSeconds(60));

  private long freshFor(FreshnessPolicy policy, Kind kind, String cacheControl, String expires) {
    long parsed = expires == null ? -1 : HttpDates.parse(expires).orElse(-1);
    return policy.freshFor(kind, CacheControl.parse(cacheControl), parsed, expires != null, DATE, -1);
  }

  @Test
  void sMaxAgeThenMaxAgeThenExpires() {
    String inTenMinutes = HttpDates.format(DATE + 600_000);
    assertEquals(300_000, freshFor(follow, Kind.OTHER, "max-age=60, s-maxage=300", inTenMinutes));
    assertEquals(60_000, freshFor(follow, Kind.OTHER, "max-age=60", inTenMinutes));
    assertEquals(600_000, freshFor(follow, Kind.OTHER, null, inTenMinutes));
  }

  @Test
  void anExpiresInThePastOrInvalidMeansStale() {
    assertEquals(0, freshFor(follow, Kind.OTHER, null, HttpDates.format(DATE - 10_000)));
    assertEquals(0, freshFor(follow, Kind.OTHER, null, "0"));
    assertEquals(0, freshFor(follow, Kind.OTHER, null, "tomorrow"));
  }

  @Test
  void withoutExplicitFreshnessATenthOfTheTimeSinceLastChangeCapped() {
    CacheControl none = CacheControl.NONE;
    assertEquals(360_000, follow.freshFor(Kind.OTHER, none, -1, false, DATE, DATE - 3_600_000));
    assertEquals(3_600_000, follow.freshFor(Kind.OTHER, none, -1, false, DATE, DATE - 400 * 86_400_000L));
    assertEquals(0, follow.freshFor(Kind.OTHER, none, -1, false, DATE, -1));
  }

  @Test
  void operatorTtlsWinForTheirKindOnly() {
    FreshnessPolicy overrides = new FreshnessPolicy(Duration.ofSeconds(1), Duration.ofDays(365),
        Duration.ofSeconds(2), Duration.ofSeconds(60));
    assertEquals(1_000, freshFor(overrides, Kind.PLAYLIST, "max-age=600", null));
    assertEquals(365 * 86_400_000L, freshFor(overrides, Kind.SEGMENT, "no-cache, max-age=0", null));
    assertEquals(600_000, freshFor(overrides, Kind.OTHER, "max-age=600", null));
    assertEquals(Kind.PLAYLIST, FreshnessPolicy.kindOf("/live/demo/360p/index.m3u8"));
    assertEquals(Kind.SEGMENT, FreshnessPolicy.kindOf("/live/demo/360p/seg_e3_00012.m4s"));
    assertEquals(Kind.SEGMENT, FreshnessPolicy.kindOf("/vod/clip/init.mp4"));
    assertEquals(Kind.OTHER, FreshnessPolicy.kindOf("/live/demo/360p/index.integrity.json"));
  }

  @Test
  void staleAllowancesComeFromTheUpstreamOrTheDefaultsAndMustRevalidateCancelsThem() {
    assertEquals(2_000, follow.staleWhileRevalidate(CacheControl.parse("max-age=1")));
    assertEquals(60_000, follow.staleIfError(CacheControl.parse("max-age=1")));
    assertEquals(30_000, follow.staleWhileRevalidate(CacheControl.parse("max-age=1, stale-while-revalidate=30")));
    assertEquals(5_000, follow.staleIfError(CacheControl.parse("max-age=1, stale-if-error=5")));
    assertEquals(0, follow.staleWhileRevalidate(CacheControl.parse("max-age=1, must-revalidate, stale-while-revalidate=30")));
    assertEquals(0, follow.staleIfError(CacheControl.parse("max-age=1, proxy-revalidate")));
  }
}
