package dev.swarmcdn.loadtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The playlists as the demo's origin writes them (copied from a running ./cdn demo). */
class HlsPlaylistsTest {

  static final String MASTER = """
      #EXTM3U
      #EXT-X-VERSION:7
      #EXT-X-INDEPENDENT-SEGMENTS
      #EXT-X-STREAM-INF:BANDWIDTH=985600,AVERAGE-BANDWIDTH=896000,RESOLUTION=640x360,CODECS="avc1.4d401f,mp4a.40.2",FRAME-RATE=30.000
      360p/index.m3u8
      #EXT-X-STREAM-INF:BANDWIDTH=380600,AVERAGE-BANDWIDTH=346000,RESOLUTION=320x180,CODECS="avc1.4d401f,mp4a.40.2",FRAME-RATE=30.000
      180p/index.m3u8
      """;

  static final String LIVE = """
      #EXTM3U
      #EXT-X-VERSION:7
      #EXT-X-TARGETDURATION:2
      #EXT-X-MEDIA-SEQUENCE:40
      #EXT-X-DISCONTINUITY-SEQUENCE:0
      #EXT-X-INDEPENDENT-SEGMENTS
      #EXT-X-SWARMCDN-INTEGRITY:URI="index.integrity.json"
      #EXT-X-MAP:URI="init_e2_360p.mp4"
      #EXT-X-PROGRAM-DATE-TIME:2026-12-06T09:34:12.743Z
      #EXTINF:2.000000,
      seg_e2_00040.m4s
      #EXTINF:2.000000,
      seg_e2_00041.m4s
      #EXTINF:2.000000,
      seg_e2_00042.m4s
      #EXTINF:2.000000,
      seg_e2_00043.m4s
      #EXTINF:2.000000,
      seg_e2_00044.m4s
      """;

  @Test
  void variantsAreResolvedAgainstTheMasterInItsOrder() {
    assertEquals(List.of("http://127.0.0.1:8081/live/demo/360p/index.m3u8", "http://127.0.0.1:8081/live/demo/180p/index.m3u8"),
        HlsPlaylists.variants("http://127.0.0.1:8081/live/demo/master.m3u8", MASTER));
  }

  @Test
  void aMasterWithoutVariantsIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> HlsPlaylists.variants("http://h/m.m3u8", "#EXTM3U\n"));
  }

  @Test
  void aLivePlaylistGivesItsWindowInitAndTargetDuration() {
    HlsPlaylists.Media media = HlsPlaylists.media("http://127.0.0.1:8081/live/demo/360p/index.m3u8", LIVE);
    assertEquals(40, media.firstSequence());
    assertEquals(45, media.nextSequence());
    assertEquals(2, media.targetDurationSeconds());
    assertEquals("http://127.0.0.1:8081/live/demo/360p/init_e2_360p.mp4", media.init());
    assertEquals("http://127.0.0.1:8081/live/demo/360p/seg_e2_00040.m4s", media.segments().get(0));
    assertEquals(5, media.segments().size());
    assertFalse(media.ended());
  }

  @Test
  void aVodPlaylistEndsAndMayStartAtZeroImplicitly() {
    HlsPlaylists.Media media = HlsPlaylists.media("http://h/vod/clip/index.m3u8",
        "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1.0,\nseg_000.m4s\n#EXT-X-ENDLIST\n");
    assertEquals(0, media.firstSequence());
    assertEquals(List.of("http://h/vod/clip/seg_000.m4s"), media.segments());
    assertTrue(media.ended());
    assertEquals(null, media.init());
  }
}
