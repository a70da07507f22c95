package dev.swarmcdn.origin.live;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.swarmcdn.protocol.integrity.ManifestEntry;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LivePlaylistWriterTest {

  private static LiveSegment segment(long sequence, int epoch, boolean discontinuity, long discontinuities) {
    String uri = "seg_e" + epoch + "_" + sequence + ".m4s";
    return new LiveSegment(sequence, epoch, 2.0, discontinuity, discontinuities, "init_e" + epoch + "_360p.mp4",
        Instant.parse("2026-01-01T00:00:00Z").plusSeconds(2 * sequence), new ManifestEntry(uri, 1, "0".repeat(64)), 0);
  }

  @Test
  void marksTheEpochChangeWithDiscontinuityAndANewMap() {
    String playlist = LivePlaylistWriter.render(
        List.of(segment(7, 1, false, 0), segment(8, 2, true, 1)), 2);
    assertEquals("""
        #EXTM3U
        #EXT-X-VERSION:7
        #EXT-X-TARGETDURATION:2
        #EXT-X-MEDIA-SEQUENCE:7
        #EXT-X-DISCONTINUITY-SEQUENCE:0
        #EXT-X-INDEPENDENT-SEGMENTS
        #EXT-X-SWARMCDN-INTEGRITY:URI="index.integrity.json"
        #EXT-X-MAP:URI="init_e1_360p.mp4"
        #EXT-X-PROGRAM-DATE-TIME:2026-01-01T00:00:14Z
        #EXTINF:2.000000,
        seg_e1_7.m4s
        #EXT-X-DISCONTINUITY
        #EXT-X-MAP:URI="init_e2_360p.mp4"
        #EXT-X-PROGRAM-DATE-TIME:2026-01-01T00:00:16Z
        #EXTINF:2.000000,
        seg_e2_8.m4s
        """, playlist);
  }

  @Test
  void aDiscontinuityThatLeadsTheWindowIsCountedNotTagged() {
    String playlist = LivePlaylistWriter.render(List.of(segment(8, 2, true, 1), segment(9, 2, false, 1)), 2);
    assertEquals(true, playlist.contains("#EXT-X-DISCONTINUITY-SEQUENCE:1\n"));
    assertEquals(false, playlist.contains("#EXT-X-DISCONTINUITY\n"));
  }
}
