package dev.swarmcdn.origin.integrity;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * The origin reads back the media playlists a packager wrote to sign them. {@link MediaPlaylist#parse}
 * returns what it read or throws {@link IllegalArgumentException}, whatever the file holds; what it
 * returns has a media sequence and durations that are finite and not negative.
 */
class MediaPlaylistFuzzTest {

  @FuzzTest
  void parse(byte[] bytes) {
    MediaPlaylist playlist;
    try {
      playlist = MediaPlaylist.parse(new String(bytes, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException refused) {
      return;
    }
    assertTrue(playlist.mediaSequence() >= 0, "sequence " + playlist.mediaSequence());
    for (MediaPlaylist.Segment segment : playlist.segments()) {
      assertTrue(Double.isFinite(segment.durationSeconds()) && segment.durationSeconds() >= 0, "segment " + segment);
      assertTrue(!segment.uri().isEmpty());
    }
    assertNotNull(playlist.initUris());
  }
}
