package dev.swarmcdn.peer.player;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Playlists reach a peer from an edge, which may be anyone's. {@link HlsText#media} and
 * {@link HlsText#variants} return what they read or throw {@link IllegalArgumentException} ("not a
 * playlist", or a tag whose value is not what RFC 8216 says it is). What they return is safe to act
 * on: sequence numbers from 0 to 2^53-1, counting up by one; durations finite and not negative (the
 * player times its reloads by them); bandwidths not negative.
 */
class HlsTextFuzzTest {

  private static final String BASE = "http://edge.test/live/demo/360p/index.m3u8";
  private static final long MAX_SEQUENCE = (1L << 53) - 1;

  @FuzzTest
  void media(byte[] bytes) {
    HlsText.Media media;
    try {
      media = HlsText.media(new String(bytes, StandardCharsets.UTF_8), BASE);
    } catch (IllegalArgumentException refused) {
      return;
    }
    assertTrue(media.mediaSequence() >= 0 && media.mediaSequence() <= MAX_SEQUENCE, "sequence " + media.mediaSequence());
    assertTrue(Double.isFinite(media.targetDuration()) && media.targetDuration() >= 0, "target " + media.targetDuration());
    long expected = media.mediaSequence();
    for (HlsText.Entry entry : media.entries()) {
      assertTrue(entry.sequence() == expected++ && entry.sequence() <= MAX_SEQUENCE, "entry " + entry);
      assertTrue(Double.isFinite(entry.duration()) && entry.duration() >= 0, "duration " + entry);
      assertTrue(entry.url() != null && !entry.uri().isEmpty());
    }
  }

  @FuzzTest
  void variants(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    try {
      HlsText.isMaster(text);
      for (HlsText.Variant variant : HlsText.variants(text, BASE)) {
        assertTrue(variant.bandwidth() >= 0 && variant.url() != null, "variant " + variant);
      }
    } catch (IllegalArgumentException refused) {
      // not a playlist, or a URI that cannot be resolved
    }
  }
}
