package dev.swarmcdn.origin.integrity;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The parts of an HLS media playlist that the origin reads back: segment URIs with their durations,
 * init segments, discontinuities and program date-times. Immutable.
 *
 * @param mediaSequence {@code EXT-X-MEDIA-SEQUENCE}, 0 when absent
 * @param endList       whether {@code EXT-X-ENDLIST} was present
 */
public record MediaPlaylist(long mediaSequence, List<Segment> segments, boolean endList) {

  /**
   * @param initUri         URI of the {@code EXT-X-MAP} in force for this segment, or null
   * @param programDateTime {@code EXT-X-PROGRAM-DATE-TIME} of this segment, or null
   */
  public record Segment(String uri, double durationSeconds, String initUri, boolean discontinuity,
      Instant programDateTime) {}

  /** ffmpeg writes the zone offset without a colon ({@code +0000}), which ISO_OFFSET_DATE_TIME refuses. */
  private static final DateTimeFormatter FFMPEG_DATE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxx");

  public MediaPlaylist {
    segments = List.copyOf(segments);
  }

  /** Distinct init segment URIs, in order of first use. */
  public List<String> initUris() {
    Set<String> uris = new LinkedHashSet<>();
    for (Segment segment : segments) {
      if (segment.initUri() != null) {
        uris.add(segment.initUri());
      }
    }
    return List.copyOf(uris);
  }

  /**
   * @throws IllegalArgumentException for a master playlist, anything that is not an HLS playlist, and
   *         byte-range segments (one file holding many segments cannot have one hash per segment)
   */
  public static MediaPlaylist parse(String text) {
    String[] lines = text.split("\r?\n");
    if (lines.length == 0 || !lines[0].strip().equals("#EXTM3U")) {
      throw new IllegalArgumentException("not an HLS playlist (no #EXTM3U)");
    }
    long mediaSequence = 0;
    boolean endList = false;
    List<Segment> segments = new ArrayList<>();
    String initUri = null;
    double duration = -1;
    boolean discontinuity = false;
    Instant programDateTime = null;
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("#EXT-X-STREAM-INF") || line.startsWith("#EXT-X-I-FRAME-STREAM-INF")
          || line.startsWith("#EXT-X-MEDIA:")) {
        throw new IllegalArgumentException("a master playlist has no integrity manifest");
      } else if (line.startsWith("#EXT-X-BYTERANGE") || line.startsWith("#EXT-X-MAP:") && line.contains("BYTERANGE=")) {
        throw new IllegalArgumentException("byte-range segments are not supported");
      } else if (line.startsWith("#EXT-X-MEDIA-SEQUENCE:")) {
        mediaSequence = parseLong(value(line));
      } else if (line.startsWith("#EXT-X-MAP:")) {
        initUri = quotedAttribute(line, "URI");
      } else if (line.startsWith("#EXTINF:")) {
        String value = value(line);
        int comma = value.indexOf(',');
        duration = parseDouble(comma < 0 ? value : value.substring(0, comma));
      } else if (line.equals("#EXT-X-DISCONTINUITY")) {
        discontinuity = true;
      } else if (line.startsWith("#EXT-X-PROGRAM-DATE-TIME:")) {
        programDateTime = parseDateTime(value(line));
      } else if (line.equals("#EXT-X-ENDLIST")) {
        endList = true;
      } else if (!line.startsWith("#")) {
        if (duration < 0) {
          throw new IllegalArgumentException("segment without #EXTINF: " + line);
        }
        segments.add(new Segment(line, duration, initUri, discontinuity, programDateTime));
        duration = -1;
        discontinuity = false;
        programDateTime = null;
      }
    }
    return new MediaPlaylist(mediaSequence, segments, endList);
  }

  private static String value(String line) {
    return line.substring(line.indexOf(':') + 1).strip();
  }

  private static String quotedAttribute(String line, String name) {
    String marker = name + "=\"";
    int start = line.indexOf(marker);
    int end = start < 0 ? -1 : line.indexOf('"', start + marker.length());
    if (end < 0) {
      throw new IllegalArgumentException("missing " + name + " in " + line);
    }
    return line.substring(start + marker.length(), end);
  }

  /** A decimal-integer (RFC 8216 4.2): digits only, no sign. */
  private static long parseLong(String value) {
    if (!value.matches("[0-9]{1,18}")) {
      throw new IllegalArgumentException("not a decimal-integer: " + value);
    }
    return Long.parseLong(value);
  }

  /**
   * A duration in seconds, a decimal-integer or decimal-floating-point (RFC 8216 4.2): no sign,
   * exponent, NaN or Infinity, which Double.parseDouble would take and a live playlist republish.
   */
  private static double parseDouble(String value) {
    if (!value.matches("[0-9]{1,18}(\\.[0-9]{0,18})?")) {
      throw new IllegalArgumentException("not a duration: " + value);
    }
    return Double.parseDouble(value);
  }

  private static Instant parseDateTime(String value) {
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException notIso) {
      try {
        return OffsetDateTime.parse(value, FFMPEG_DATE_TIME).toInstant();
      } catch (DateTimeParseException e) {
        // A date-time is informational; a playlist with an odd one is still a playlist.
        return null;
      }
    }
  }
}
