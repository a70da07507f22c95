package dev.swarmcdn.origin.integrity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MediaPlaylistTest {

  @Test
  void readsWhatFfmpegWritesForALiveRendition() {
    MediaPlaylist playlist = MediaPlaylist.parse("""
        #EXTM3U
        #EXT-X-VERSION:7
        #EXT-X-TARGETDURATION:1
        #EXT-X-MEDIA-SEQUENCE:5
        #EXT-X-INDEPENDENT-SEGMENTS
        #EXT-X-MAP:URI="init_e1_180p.mp4"
        #EXTINF:1.000000,
        #EXT-X-PROGRAM-DATE-TIME:2026-11-25T05:57:07.139+0000
        seg_e1_00005.m4s
        #EXTINF:0.800000,
        seg_e1_00006.m4s
        #EXT-X-ENDLIST
        """);
    assertEquals(5, playlist.mediaSequence());
    assertTrue(playlist.endList());
    assertEquals(List.of("init_e1_180p.mp4"), playlist.initUris());
    MediaPlaylist.Segment first = playlist.segments().get(0);
    assertEquals(new MediaPlaylist.Segment("seg_e1_00005.m4s", 1.0, "init_e1_180p.mp4", false,
        Instant.parse("2026-11-25T05:57:07.139Z")), first);
    assertEquals(0.8, playlist.segments().get(1).durationSeconds());
  }

  @Test
  void refusesMasterAndByteRangePlaylists() {
    assertThrows(IllegalArgumentException.class,
        () -> MediaPlaylist.parse("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\na.m3u8\n"));
    assertThrows(IllegalArgumentException.class,
        () -> MediaPlaylist.parse("#EXTM3U\n#EXTINF:1,\n#EXT-X-BYTERANGE:100@0\na.mp4\n"));
    assertThrows(IllegalArgumentException.class, () -> MediaPlaylist.parse("<html>"));
  }
}
