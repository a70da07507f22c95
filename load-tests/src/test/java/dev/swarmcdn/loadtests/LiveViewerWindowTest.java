package dev.swarmcdn.loadtests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class LiveViewerWindowTest {

  private final HlsPlaylists.Media window =
      HlsPlaylists.media("http://h/live/demo/360p/index.m3u8", HlsPlaylistsTest.LIVE); // sequences 40-44

  @Test
  void aNewViewerStartsThreeSegmentsBehindTheLiveEdge() {
    assertEquals(List.of(url(42), url(43), url(44)), LiveViewerWindow.due(window, -1));
  }

  @Test
  void aWatchingViewerFetchesOnlyWhatIsNew() {
    assertEquals(List.of(url(44)), LiveViewerWindow.due(window, 44));
    assertEquals(List.of(), LiveViewerWindow.due(window, 45));
  }

  @Test
  void aViewerBehindTheWindowSkipsToItsOldestSegment() {
    assertEquals(List.of(url(40), url(41), url(42), url(43), url(44)), LiveViewerWindow.due(window, 12));
  }

  private static String url(int sequence) {
    return "http://h/live/demo/360p/seg_e2_000" + sequence + ".m4s";
  }
}
