package dev.swarmcdn.origin.live;

import dev.swarmcdn.origin.integrity.MediaPlaylist;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the restart tests read from the origin's live playlists. */
final class LivePlaylists {

  private static final Pattern DISCONTINUITY_SEQUENCE = Pattern.compile("#EXT-X-DISCONTINUITY-SEQUENCE:(\\d+)\n");

  private LivePlaylists() {}

  /** Media sequence number of each segment URI of a playlist, in playlist order. */
  static Map<String, Long> numbers(String playlist) {
    MediaPlaylist parsed = MediaPlaylist.parse(playlist);
    Map<String, Long> numbers = new LinkedHashMap<>();
    for (int i = 0; i < parsed.segments().size(); i++) {
      numbers.put(parsed.segments().get(i).uri(), parsed.mediaSequence() + i);
    }
    return numbers;
  }

  static long discontinuitySequence(String playlist) {
    Matcher m = DISCONTINUITY_SEQUENCE.matcher(playlist);
    if (!m.find()) {
      throw new AssertionError("no EXT-X-DISCONTINUITY-SEQUENCE in " + playlist);
    }
    return Long.parseLong(m.group(1));
  }

  /** The discontinuity sequence number of a playlist's last segment. */
  static long lastDiscontinuitySequence(String playlist) {
    return discontinuitySequence(playlist) + playlist.split("#EXT-X-DISCONTINUITY\n", -1).length - 1;
  }

  /** The highest number among the segments whose URI does not start with {@code prefix}. */
  static long lastNumberNotOf(Map<String, Long> numbers, String prefix) {
    return numbers.entrySet().stream().filter(e -> !e.getKey().startsWith(prefix))
        .mapToLong(Map.Entry::getValue).max().orElseThrow();
  }
}
