package dev.swarmcdn.loadtests;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The little of HLS playlists a viewer needs to load a stream: variants, window, init, segments. */
public final class HlsPlaylists {

  private static final Pattern TARGET_DURATION = Pattern.compile("(?m)^#EXT-X-TARGETDURATION:(\\d+)\\s*$");
  private static final Pattern MEDIA_SEQUENCE = Pattern.compile("(?m)^#EXT-X-MEDIA-SEQUENCE:(\\d+)\\s*$");
  private static final Pattern MAP = Pattern.compile("(?m)^#EXT-X-MAP:.*URI=\"([^\"]+)\"");

  private HlsPlaylists() {}

  /**
   * A media playlist: its segments' absolute URLs in order, the first one's media sequence number,
   * the init segment's URL (null without {@code EXT-X-MAP}) and the target duration in seconds.
   */
  public record Media(List<String> segments, long firstSequence, String init, int targetDurationSeconds,
      boolean ended) {

    /** The sequence number one past the newest segment. */
    public long nextSequence() {
      return firstSequence + segments.size();
    }
  }

  /** The variant playlists a master playlist lists, as absolute URLs, in its order (best first in ours). */
  public static List<String> variants(String masterUrl, String master) {
    List<String> variants = new ArrayList<>();
    boolean streamInfSeen = false;
    for (String line : master.split("\r?\n")) {
      String text = line.strip();
      if (text.startsWith("#EXT-X-STREAM-INF")) {
        streamInfSeen = true;
      } else if (streamInfSeen && !text.isEmpty() && !text.startsWith("#")) {
        variants.add(URI.create(masterUrl).resolve(text).toString());
        streamInfSeen = false;
      }
    }
    if (variants.isEmpty()) {
      throw new IllegalArgumentException("no variant in the master playlist at " + masterUrl);
    }
    return variants;
  }

  public static Media media(String playlistUrl, String playlist) {
    URI base = URI.create(playlistUrl);
    List<String> segments = new ArrayList<>();
    for (String line : playlist.split("\r?\n")) {
      String text = line.strip();
      if (!text.isEmpty() && !text.startsWith("#")) {
        segments.add(base.resolve(text).toString());
      }
    }
    Matcher map = MAP.matcher(playlist);
    return new Media(segments, number(MEDIA_SEQUENCE, playlist, 0),
        map.find() ? base.resolve(map.group(1)).toString() : null,
        (int) number(TARGET_DURATION, playlist, -1), playlist.contains("#EXT-X-ENDLIST"));
  }

  private static long number(Pattern tag, String playlist, long absent) {
    Matcher matcher = tag.matcher(playlist);
    if (matcher.find()) {
      return Long.parseLong(matcher.group(1));
    }
    if (absent < 0) {
      throw new IllegalArgumentException("a media playlist without " + tag.pattern());
    }
    return absent;
  }
}
