package dev.swarmcdn.kit.http;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * HTTP-dates (RFC 9110 section 5.6.7): sends IMF-fixdate, and reads all three formats a recipient
 * must accept. Day and month names are case-sensitive there, and so is this parser.
 */
public final class HttpDates {

  private static final DateTimeFormatter IMF_FIXDATE = strict("EEE, dd MMM uuuu HH:mm:ss 'GMT'");
  /*
   * Read with years of exactly four digits, as RFC 9110 writes them (4DIGIT): "uuuu" also reads a
   * signed year of up to 19 digits, and a year past +-292 million overflows epoch milliseconds
   * (ArithmeticException out of a request's If-Modified-Since).
   */
  private static final DateTimeFormatter IMF_FIXDATE_READ = finish(new DateTimeFormatterBuilder()
      .appendPattern("EEE, dd MMM ").appendValue(ChronoField.YEAR, 4).appendPattern(" HH:mm:ss 'GMT'"));
  private static final DateTimeFormatter RFC_850 = rfc850();
  private static final DateTimeFormatter ASCTIME = finish(new DateTimeFormatterBuilder()
      .appendPattern("EEE MMM ppd HH:mm:ss ").appendValue(ChronoField.YEAR, 4));
  private static final List<DateTimeFormatter> ACCEPTED = List.of(IMF_FIXDATE_READ, RFC_850, ASCTIME);

  private HttpDates() {}

  /** IMF-fixdate of an instant, e.g. {@code Sun, 06 Nov 1994 08:49:37 GMT}; sub-seconds dropped. */
  public static String format(long epochMillis) {
    return IMF_FIXDATE.format(Instant.ofEpochMilli(epochMillis).atZone(ZoneOffset.UTC));
  }

  /** Epoch milliseconds (whole seconds) of an HTTP-date, or empty when the value is not one. */
  public static OptionalLong parse(String value) {
    if (value == null) {
      return OptionalLong.empty();
    }
    String trimmed = value.strip();
    for (DateTimeFormatter format : ACCEPTED) {
      try {
        return OptionalLong.of(LocalDateTime.parse(trimmed, format).toInstant(ZoneOffset.UTC).toEpochMilli());
      } catch (DateTimeException notThisFormat) {
        // try the next format
      }
    }
    return OptionalLong.empty();
  }

  /** Truncates to the one-second resolution HTTP-dates have, so that comparisons are fair. */
  public static long toSeconds(long epochMillis) {
    return Math.floorDiv(epochMillis, 1000L);
  }

  /**
   * RFC 9110: a two-digit year that appears more than 50 years in the future means the most recent
   * past year with those digits, so two digits map into [now - 49, now + 50]. The year must be
   * right before parsing, or the check of the day name against the date would fail.
   */
  private static DateTimeFormatter rfc850() {
    return finish(new DateTimeFormatterBuilder()
        .appendPattern("EEEE, dd-MMM-")
        .appendValueReduced(ChronoField.YEAR, 2, 2, LocalDate.now(ZoneOffset.UTC).minusYears(49))
        .appendPattern(" HH:mm:ss 'GMT'"));
  }

  private static DateTimeFormatter strict(String pattern) {
    return finish(new DateTimeFormatterBuilder().appendPattern(pattern));
  }

  private static DateTimeFormatter finish(DateTimeFormatterBuilder builder) {
    return builder.toFormatter(Locale.ENGLISH)
        .withResolverStyle(ResolverStyle.STRICT)
        .withZone(ZoneOffset.UTC);
  }
}
