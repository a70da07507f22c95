package dev.swarmcdn.kit.http;

import static dev.swarmcdn.kit.http.Preconditions.Outcome.NOT_MODIFIED;
import static dev.swarmcdn.kit.http.Preconditions.Outcome.PRECONDITION_FAILED;
import static dev.swarmcdn.kit.http.Preconditions.Outcome.PROCEED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PreconditionsTest {

  private static final String ETAG = "\"abc\"";
  /** Sun, 06 Nov 1994 08:49:37.250 GMT: sub-second part must not matter. */
  private static final long MODIFIED = 784111777250L;
  private static final String MODIFIED_DATE = "Sun, 06 Nov 1994 08:49:37 GMT";
  private static final String EARLIER = "Sun, 06 Nov 1994 08:49:36 GMT";
  private static final String LATER = "Sun, 06 Nov 1994 08:49:38 GMT";

  private static Preconditions.Outcome get(String... headerPairs) {
    return evaluate(HttpMethod.GET, ETAG, headerPairs);
  }

  private static Preconditions.Outcome evaluate(HttpMethod method, String etag, String... headerPairs) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < headerPairs.length; i += 2) {
      headers.add(headerPairs[i], headerPairs[i + 1]);
    }
    return Preconditions.evaluate(method, headers, etag, MODIFIED);
  }

  @Test
  void noConditionsProceed() {
    assertEquals(PROCEED, get());
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"abc\"", "W/\"abc\"", "*", "\"x\", \"abc\"", " \"x\" ,W/\"abc\" "})
  void ifNoneMatchHitIsNotModifiedByWeakComparison(String value) {
    assertEquals(NOT_MODIFIED, get("If-None-Match", value));
    assertEquals(NOT_MODIFIED, evaluate(HttpMethod.HEAD, ETAG, "If-None-Match", value));
  }

  @Test
  void ifNoneMatchAgainstAWeakCurrentTagAlsoMatches() {
    assertEquals(NOT_MODIFIED, evaluate(HttpMethod.GET, "W/\"abc\"", "If-None-Match", "\"abc\""));
  }

  @Test
  void ifNoneMatchOnSeveralLinesIsOneList() {
    assertEquals(NOT_MODIFIED, get("If-None-Match", "\"x\"", "If-None-Match", "\"abc\""));
  }

  @Test
  void ifNoneMatchMissProceedsAndOverridesIfModifiedSince() {
    assertEquals(PROCEED, get("If-None-Match", "\"other\""));
    assertEquals(PROCEED, get("If-None-Match", "\"other\"", "If-Modified-Since", LATER));
  }

  @Test
  void ifNoneMatchOnOtherMethodsFailsThePrecondition() {
    assertEquals(PRECONDITION_FAILED, evaluate(HttpMethod.PUT, ETAG, "If-None-Match", "*"));
  }

  @Test
  void withoutAnEtagOnlyStarMatches() {
    assertEquals(PROCEED, evaluate(HttpMethod.GET, null, "If-None-Match", "\"abc\""));
    assertEquals(NOT_MODIFIED, evaluate(HttpMethod.GET, null, "If-None-Match", "*"));
  }

  @Test
  void malformedIfNoneMatchIsIgnoredSoIfModifiedSinceDecides() {
    assertEquals(PROCEED, get("If-None-Match", "abc"));
    assertEquals(NOT_MODIFIED, get("If-None-Match", "abc", "If-Modified-Since", MODIFIED_DATE));
  }

  @Test
  void ifModifiedSinceComparesWholeSeconds() {
    assertEquals(NOT_MODIFIED, get("If-Modified-Since", MODIFIED_DATE));
    assertEquals(NOT_MODIFIED, get("If-Modified-Since", LATER));
    assertEquals(PROCEED, get("If-Modified-Since", EARLIER));
  }

  @Test
  void ifModifiedSinceIsIgnoredWhenInvalidRepeatedOrNotGet() {
    assertEquals(PROCEED, get("If-Modified-Since", "tomorrow"));
    assertEquals(PROCEED, get("If-Modified-Since", LATER, "If-Modified-Since", LATER));
    assertEquals(PROCEED, evaluate(HttpMethod.POST, ETAG, "If-Modified-Since", LATER));
  }

  @Test
  void ifModifiedSinceIsIgnoredWhenLastModifiedIsUnknown() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("If-Modified-Since", LATER);
    assertEquals(PROCEED, Preconditions.evaluate(HttpMethod.GET, headers, ETAG, -1));
  }

  @Test
  void ifMatchUsesStrongComparison() {
    assertEquals(PROCEED, get("If-Match", "\"abc\""));
    assertEquals(PROCEED, get("If-Match", "*"));
    assertEquals(PRECONDITION_FAILED, get("If-Match", "W/\"abc\""));
    assertEquals(PRECONDITION_FAILED, get("If-Match", "\"other\""));
    assertEquals(PRECONDITION_FAILED, evaluate(HttpMethod.GET, "W/\"abc\"", "If-Match", "\"abc\""));
  }

  @Test
  void ifMatchComesBeforeIfNoneMatch() {
    assertEquals(PRECONDITION_FAILED, get("If-Match", "\"other\"", "If-None-Match", "\"abc\""));
  }

  @Test
  void ifUnmodifiedSinceFailsOnlyWhenChangedAfterAndIsOverriddenByIfMatch() {
    assertEquals(PROCEED, get("If-Unmodified-Since", MODIFIED_DATE));
    assertEquals(PRECONDITION_FAILED, get("If-Unmodified-Since", EARLIER));
    assertEquals(PROCEED, get("If-Match", "\"abc\"", "If-Unmodified-Since", EARLIER));
    assertEquals(PROCEED, get("If-Unmodified-Since", "garbage"));
  }

  @Test
  void ifRangeWithAStrongMatchingTagLetsTheRangeApply() {
    assertTrue(Preconditions.rangeApplies(null, ETAG, MODIFIED));
    assertTrue(Preconditions.rangeApplies("\"abc\"", ETAG, MODIFIED));
    assertFalse(Preconditions.rangeApplies("\"other\"", ETAG, MODIFIED));
    assertFalse(Preconditions.rangeApplies("W/\"abc\"", ETAG, MODIFIED));
    assertFalse(Preconditions.rangeApplies("\"abc\"", "W/\"abc\"", MODIFIED));
    assertFalse(Preconditions.rangeApplies("\"abc\"", null, MODIFIED));
  }

  @Test
  void ifRangeWithADateNeedsAnExactMatch() {
    assertTrue(Preconditions.rangeApplies(MODIFIED_DATE, ETAG, MODIFIED));
    assertFalse(Preconditions.rangeApplies(LATER, ETAG, MODIFIED));
    assertFalse(Preconditions.rangeApplies(EARLIER, ETAG, MODIFIED));
    assertFalse(Preconditions.rangeApplies(MODIFIED_DATE, ETAG, -1));
    assertFalse(Preconditions.rangeApplies("not a date", ETAG, MODIFIED));
  }
}
