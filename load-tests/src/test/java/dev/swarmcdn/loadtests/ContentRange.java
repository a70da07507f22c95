package dev.swarmcdn.loadtests;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A {@code Content-Range: bytes FIRST-LAST/TOTAL} header of a 206 answer. */
public record ContentRange(long first, long last, long total) {

  private static final Pattern SATISFIED = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");

  public static ContentRange parse(String header) {
    Matcher matcher = SATISFIED.matcher(header.strip());
    if (!matcher.matches()) {
      throw new IllegalArgumentException("not a satisfied byte range: " + header);
    }
    ContentRange range = new ContentRange(Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2)),
        Long.parseLong(matcher.group(3)));
    if (range.first > range.last || range.last >= range.total) {
      throw new IllegalArgumentException("an impossible byte range: " + header);
    }
    return range;
  }

  public long length() {
    return last - first + 1;
  }
}
