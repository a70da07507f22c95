package dev.swarmcdn.peer.player;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of HLS playlists (RFC 8216) a player of this system reads: a master playlist's variants
 * and a media playlist's segments. Anything it does not understand it skips, as players do; what is
 * not a playlist at all is refused.
 */
public final class HlsText {
  private static final Pattern ATTRIBUTE = Pattern.compile("([A-Z0-9-]+)=(\"[^\"]*\"|[^,]*)");

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
      if (value != null) {
        try {
          bandwidth = Long.parseLong(value);
        } catch (NumberFormatException ignored) {
          // a player ignores a bad attribute
        }
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
        sequence = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
      } else if (line.startsWith("#EXT-X-TARGETDURATION:")) {
        target = Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
      } else if (line.startsWith("#EXT-X-ENDLIST")) {
        ended = true;
      } else if (line.startsWith("#EXT-X-MAP:")) {
        map = attribute(line, "URI");
      } else if (line.startsWith("#EXTINF:")) {
        String value = line.substring(line.indexOf(':') + 1);
        int comma = value.indexOf(',');
        duration = Double.parseDouble((comma >= 0 ? value.substring(0, comma) : value).trim());
      } else if (!line.isEmpty() && !line.startsWith("#")) {
        if (next < 0) {
          next = sequence;
        }
        entries.add(new Entry(next++, duration >= 0 ? duration : target, line, resolve(baseUrl, line)));
        duration = -1;
      }
    }
    return new Media(sequence, target, ended, entries, map);
  }

  /** An attribute of a tag line, without quotes; null when absent. */
  static String attribute(String line, String name) {
    Matcher match = ATTRIBUTE.matcher(line.substring(line.indexOf(':') + 1));
    while (match.find()) {
      if (match.group(1).equals(name)) {
        String value = match.group(2);
        return value.startsWith("\"") ? value.substring(1, value.length() - 1) : value;
      }
    }
    return null;
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
