package dev.swarmcdn.peer.http;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules of an answer to a segment request, apart from any HTTP client: whether its head can be
 * placed after the bytes held (docs of {@link UnusableRange}), and what its body is then. Every
 * {@link HttpSource} reads answers through it, so a fake edge in tests judges them as the real one.
 */
public final class SegmentAnswer {
  private static final Pattern CONTENT_RANGE = Pattern.compile("^bytes (\\d+)-(\\d+)/(\\d+|\\*)$");

  private SegmentAnswer() {
  }

  /**
   * What a usable head promises.
   *
   * @param ranged         a 206
   * @param rangeReadable  its Content-Range could be read
   * @param total          the whole segment's length, or -1 when the answer does not say
   * @param expected       bytes the body should bring, or -1
   */
  public record Head(int status, boolean ranged, boolean rangeReadable, long total, long expected) {
  }

  /**
   * Judges the head of an answer to a request for bytes {@code from} to the end.
   *
   * @param contentLength  -1 when absent or unreadable
   * @param knownSize      the segment's length as known so far, or -1
   * @throws HttpError     a status other than 200 or 206, or a body larger than any segment
   * @throws UnusableRange a range that starts elsewhere or names another length than the one known
   */
  public static Head head(String url, int status, String contentRange, long contentLength, long from,
      long knownSize) {
    if (status != 200 && status != 206) {
      throw new HttpError(status, "HTTP " + status + " for " + url);
    }
    boolean ranged = status == 206;
    long[] range = ranged ? contentRange(contentRange) : null;
    if (range != null && (range[0] != from || (knownSize >= 0 && range[1] >= 0 && range[1] != knownSize))) {
      throw new UnusableRange(206, url + ": asked for bytes " + from + "- of " + knownSize + ", got " + range[0]
          + "- of " + range[1], range[1] >= 0 ? range[1] : null);
    }
    long total = ranged ? (range != null && range[1] >= 0 ? range[1] : knownSize) : contentLength;
    long expected = total < 0 ? -1 : total - (ranged ? from : 0);
    if (expected > HttpSource.MAX_BODY_BYTES) {
      throw new HttpError(status, url + ": " + expected + " bytes is more than a segment may have");
    }
    return new Head(status, ranged, range != null, total, expected);
  }

  /**
   * The segment's bytes from {@code from} to its end, out of a whole body received for {@code head}.
   *
   * @throws UnusableRange a server that ignored the Range and names another length, or a 206 with no
   *                       readable range that is not exactly the rest asked for
   * @throws HttpError     a body shorter or longer than promised
   */
  public static HttpResult body(String url, Head head, byte[] data, long from, long knownSize, long requestedAt,
      long firstByteAt, long endAt) {
    byte[] rest = data;
    if (!head.ranged() && from > 0) {
      // A server that ignored the Range header sent the whole segment.
      if (knownSize >= 0 && data.length != knownSize) {
        throw new UnusableRange(200, url + ": " + data.length + " bytes, not " + knownSize, (long) data.length);
      }
      rest = Arrays.copyOfRange(data, (int) Math.min(from, data.length), data.length);
    }
    long whole = head.ranged() ? head.total() : from + rest.length;
    if (head.ranged() && !head.rangeReadable() && (whole < 0 || from + rest.length != whole)) {
      throw new UnusableRange(206, url + ": a 206 without a readable Content-Range, " + rest.length + " bytes", null);
    }
    if (whole < 0 || from + rest.length != whole) {
      throw new HttpError(head.status(), "short body for " + url);
    }
    return new HttpResult(rest, whole, requestedAt, firstByteAt, endAt);
  }

  /** {start, total} of {@code bytes START-END/TOTAL} (total -1 for {@code *}); null when unreadable. */
  static long[] contentRange(String header) {
    if (header == null) {
      return null;
    }
    Matcher match = CONTENT_RANGE.matcher(header.trim());
    if (!match.matches()) {
      return null;
    }
    try {
      return new long[] {Long.parseLong(match.group(1)), "*".equals(match.group(3)) ? -1 : Long.parseLong(match.group(3))};
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
