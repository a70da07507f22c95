package dev.swarmcdn.edge.forwarding.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The response directives a shared cache acts on (RFC 9111 section 5.2.2, RFC 5861). */
class CacheControlTest {

  @Test
  void noHeaderIsNoDirective() {
    assertSame(CacheControl.NONE, CacheControl.parse(null));
    assertSame(CacheControl.NONE, CacheControl.parse("  "));
    assertEquals(-1, CacheControl.NONE.sharedMaxAge());
    assertTrue(CacheControl.NONE.storable());
  }

  @Test
  void durationsAndFlags() {
    CacheControl cc = CacheControl.parse(
        "public, max-age=60, s-maxage=600, stale-while-revalidate=5, stale-if-error=3600, must-revalidate, immutable");
    assertEquals(60, cc.maxAge());
    assertEquals(600, cc.sMaxAge());
    assertEquals(5, cc.staleWhileRevalidate());
    assertEquals(3600, cc.staleIfError());
    assertTrue(cc.mustRevalidate());
    assertTrue(cc.immutable());
    assertFalse(cc.noCache());
    assertTrue(cc.storable());
  }

  @Test
  void aSharedCacheTakesSMaxAgeOverMaxAge() {
    assertEquals(600, CacheControl.parse("max-age=60, s-maxage=600").sharedMaxAge());
    assertEquals(0, CacheControl.parse("max-age=600, s-maxage=0").sharedMaxAge());
    assertEquals(60, CacheControl.parse("max-age=60").sharedMaxAge());
  }

  @Test
  void namesAreCaseBlindValuesMayBeQuotedAndHeadersJoin() {
    CacheControl cc = CacheControl.parse("MAX-AGE=\"30\", No-Cache,private");
    assertEquals(30, cc.maxAge());
    assertTrue(cc.noCache());
    assertTrue(cc.isPrivate());
    // Several Cache-Control lines arrive joined with commas.
    assertTrue(CacheControl.parse("max-age=10" + "," + "no-store").noStore());
  }

  @Test
  void noStoreAndPrivateAreNotStorableNoCacheIs() {
    assertFalse(CacheControl.parse("no-store, max-age=60").storable());
    assertFalse(CacheControl.parse("private, max-age=60").storable());
    assertTrue(CacheControl.parse("no-cache").storable());
    assertTrue(CacheControl.parse("proxy-revalidate").mustRevalidate());
  }

  @Test
  void aQualifiedNoCacheIsOneDirectiveAndStillRevalidates() {
    CacheControl cc = CacheControl.parse("no-cache=\"Set-Cookie, X-Other\", max-age=60");
    assertTrue(cc.noCache());
    assertEquals(60, cc.maxAge(), "the comma inside quotes does not split the directive");
  }

  @Test
  void aMalformedMaxAgeMeansStaleOtherMalformedValuesMeanAbsent() {
    assertEquals(0, CacheControl.parse("max-age=soon").maxAge());
    assertEquals(0, CacheControl.parse("max-age=").maxAge());
    assertEquals(0, CacheControl.parse("max-age=-5").maxAge());
    assertEquals(0, CacheControl.parse("s-maxage=1.5").sMaxAge());
    assertEquals(-1, CacheControl.parse("stale-while-revalidate=x").staleWhileRevalidate());
    assertEquals(-1, CacheControl.parse("stale-if-error").staleIfError());
  }

  @Test
  void hugeValuesAreCappedAtTwoToTheThirtyOne() {
    assertEquals(Integer.MAX_VALUE, CacheControl.parse("max-age=99999999999999999999").maxAge());
    assertEquals(Integer.MAX_VALUE, CacheControl.parse("max-age=3000000000").maxAge());
  }

  @Test
  void unknownDirectivesAreIgnored() {
    CacheControl cc = CacheControl.parse("community=\"UCI\", max-age=5, ext");
    assertEquals(5, cc.maxAge());
    assertFalse(cc.noStore());
  }
}
