package dev.swarmcdn.kit.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpDatesTest {

  /** RFC 9110's example instant: Sun, 06 Nov 1994 08:49:37 GMT. */
  private static final long EXAMPLE = 784111777000L;

  @Test
  void formatsImfFixdateWithTwoDigitDayAndDropsMillis() {
    assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", HttpDates.format(EXAMPLE + 999));
  }

  @Test
  void parsesAllThreeFormatsOfTheRfc() {
    assertEquals(OptionalLong.of(EXAMPLE), HttpDates.parse("Sun, 06 Nov 1994 08:49:37 GMT"));
    assertEquals(OptionalLong.of(EXAMPLE), HttpDates.parse("Sunday, 06-Nov-94 08:49:37 GMT"));
    assertEquals(OptionalLong.of(EXAMPLE), HttpDates.parse("Sun Nov  6 08:49:37 1994"));
  }

  @Test
  void twoDigitYearsFarInTheFutureMeanThePastCentury() {
    long parsed = HttpDates.parse("Friday, 01-Jan-99 00:00:00 GMT").orElseThrow();
    assertEquals(915148800000L, parsed); // 1999, not 2099
  }

  @Test
  void roundTrips() {
    long now = System.currentTimeMillis();
    assertEquals(OptionalLong.of(now - now % 1000), HttpDates.parse(HttpDates.format(now)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "yesterday", "Sun, 6 Nov 1994 08:49:37 GMT", "sun, 06 nov 1994 08:49:37 GMT",
      "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 06 Nov 1994 25:49:37 GMT", "Sun, 31 Feb 1994 08:49:37 GMT",
      "Mon, 06 Nov 1994 08:49:37 GMT", "784111777", "Sun, 06 Nov 1994 08:49:37 GMT garbage"})
  void refusesWhatIsNotAnHttpDate(String value) {
    assertTrue(HttpDates.parse(value).isEmpty(), value);
  }

  @Test
  void toleratesSurroundingWhitespaceAndNull() {
    assertEquals(OptionalLong.of(EXAMPLE), HttpDates.parse("  Sun, 06 Nov 1994 08:49:37 GMT "));
    assertTrue(HttpDates.parse(null).isEmpty());
  }
}
