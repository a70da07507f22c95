package dev.swarmcdn.peer.player;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The parts of HLS playlists (RFC 8216) a player of this system reads: a master playlist's variants
 * and a media playlist's segments. Anything it does not understand it skips, as players do; what is
 * not a playlist at all is refused, and so is a number the player would act on that is not what RFC
 * 8216 says it is (a media sequence, a target or segment duration), since the player times its
 * reloads and numbers its segments by them. Playlists come from an edge, which may be anyone's.
 */
public final class HlsText {
  /** RFC 8216 4.2: decimal-integer, or decimal-floating-point (no sign, no exponent, no NaN). */
  private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,18}(\\.[0-9]{0,18})?");
  /** Sequence numbers are JavaScript-safe integers, as on every wire of this system. */
  static final long MAX_SEQUENCE = (1L << 53) - 1;

  private HlsText() {
  }

  /** A variant of a master playlist: its URI as written, resolved URL, and BANDWIDTH (bits/s, 0 if absent). */
  public record Variant(String uri, String url, long bandwidth) {
  }

  /** One media segment as listed. */
  public record Entry(long sequence, double duration, String uri, String url) {
  }

  /**
   * A media playlist as listed.
   *
   * @param mapUri  the EXT-X-MAP URI of the last segment, or null
   */
  public record Media(long mediaSequence, double targetDuration, boolean ended, List<Entry> entries, String mapUri) {
  }

  public static boolean isMaster(String text) {
    return text.contains("#EXT-X-STREAM-INF");
  }

  public static List<Variant> variants(String text, String baseUrl) {
    requirePlaylist(text);
    List<Variant> variants = new ArrayList<>();
    String[] lines = text.split("\r?\n");
    for (int i = 0; i < lines.length; i++) {
      if (!lines[i].startsWith("#EXT-X-STREAM-INF:")) {
        continue;
      }
      long bandwidth = 0;
      String value = attribute(lines[i], "BANDWIDTH");
      // A decimal-integer; a player ignores a bad attribute (a sign, a fraction, too many digits).
      if (value != null && value.matches("[0-9]{1,18}")) {
        bandwidth = Long.parseLong(value);
      }
      for (int j = i + 1; j < lines.length; j++) {
        String uri = lines[j].trim();
        if (!uri.isEmpty() && !uri.startsWith("#")) {
          variants.add(new Variant(uri, resolve(baseUrl, uri), bandwidth));
          i = j;
          break;
        }
      }
    }
    return variants;
  }

  public static Media media(String text, String baseUrl) {
    requirePlaylist(text);
    long sequence = 0;
    double target = 2;
    boolean ended = false;
    String map = null;
    double duration = -1;
    List<Entry> entries = new ArrayList<>();
    long next = -1;
    for (String raw : text.split("\r?\n")) {
      String line = raw.trim();
      if (line.startsWith("#EXT-X-MEDIA-SEQUENCE:")) {
        if (next >= 0) {
          // RFC 8216 4.3.3.2: it MUST come before the first segment, which was numbered without it.
          throw new IllegalArgumentException("EXT-X-MEDIA-SEQUENCE after the first segment");
        }
        sequence = sequenceNumber(line.substring(line.indexOf(':') + 1).trim());
      } else if (line.startsWith("#EXT-X-TARGETDURATION:")) {
        target = seconds("EXT-X-TARGETDURATION", line.substring(line.indexOf(':') + 1).trim());
      } else if (line.startsWith("#EXT-X-ENDLIST")) {
        ended = true;
      } else if (line.startsWith("#EXT-X-MAP:")) {
        map = attribute(line, "URI");
      } else if (line.startsWith("#EXTINF:")) {
        String value = line.substring(line.indexOf(':') + 1);
        int comma = value.indexOf(',');
        duration = seconds("EXTINF", (comma >= 0 ? value.substring(0, comma) : value).trim());
      } else if (!line.isEmpty() && !line.startsWith("#")) {
        if (next < 0) {
          next = sequence;
        }
        if (next > MAX_SEQUENCE) {
          throw new IllegalArgumentException("a segment numbered past 2^53-1");
        }
        entries.add(new Entry(next++, duration >= 0 ? duration : target, line, resolve(baseUrl, line)));
        duration = -1;
      }
    }
    return new Media(sequence, target, ended, entries, map);
  }

  /**
   * An attribute of a tag line's attribute list (RFC 8216 4.2: {@code NAME=value} separated by
   * commas, a value quoted or not), without quotes; null when absent, or when the list breaks before
   * it (an unclosed quote, a name without '='), which a player ignores. One pass over the line.
   */
  static String attribute(String line, String name) {
    int n = line.length();
    int i = line.indexOf(':') + 1;
    while (i < n) {
      while (i < n && line.charAt(i) == ' ') {
        i++;
      }
      int nameStart = i;
      while (i < n && isAttributeNameChar(line.charAt(i))) {
        i++;
      }
      if (i == nameStart || i >= n || line.charAt(i) != '=') {
        return null;
      }
      String attributeName = line.substring(nameStart, i++);
      String value;
      if (i < n && line.charAt(i) == '"') {
        int close = line.indexOf('"', i + 1);
        if (close < 0) {
          return null;
        }
        value = line.substring(i + 1, close);
        i = close + 1;
      } else {
        int comma = line.indexOf(',', i);
        int end = comma < 0 ? n : comma;
        value = line.substring(i, end);
        i = end;
      }
      if (attributeName.equals(name)) {
        return value;
      }
      if (i < n && line.charAt(i++) != ',') {
        return null;
      }
    }
    return null;
  }

  private static boolean isAttributeNameChar(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  }

  /** A media sequence number: a decimal-integer, here at most 2^53-1. */
  private static long sequenceNumber(String value) {
    if (!value.matches("[0-9]{1,16}") || Long.parseLong(value) > MAX_SEQUENCE) {
      throw new IllegalArgumentException("EXT-X-MEDIA-SEQUENCE is not a sequence number from 0 to 2^53-1");
    }
    return Long.parseLong(value);
  }

  /** A duration in seconds: a decimal number, finite and not negative. */
  private static double seconds(String tag, String value) {
    if (!DECIMAL.matcher(value).matches()) {
      throw new IllegalArgumentException(tag + " is not a duration in seconds");
    }
    return Double.parseDouble(value);
  }

  static String resolve(String baseUrl, String uri) {
    return URI.create(baseUrl).resolve(uri).toString();
  }

  private static void requirePlaylist(String text) {
    if (!text.startsWith("#EXTM3U")) {
      throw new IllegalArgumentException("not an HLS playlist (no #EXTM3U)");
    }
  }
}
