package dev.swarmcdn.peer.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PlaylistRewriterTest {
  /** A routed edge with an access token: the token stays upstream. */
  private final UpstreamPaths paths = UpstreamPaths.of("/live/demo/master.m3u8",
      "http://edge:8081/~t/TOKEN/live/demo/master.m3u8");
  private final PlaylistRewriter rewriter = new PlaylistRewriter(paths);

  @Test
  void everyUriPointsAtTheLocalServerAndTheTokenStaysUpstream() {
    String media = """
        #EXTM3U
        #EXT-X-TARGETDURATION:2
        #EXT-X-KEY:METHOD=AES-128,URI="../keys/k1",IV=0x1
        #EXT-X-MAP:URI="init_e1_%v.mp4"
        #EXTINF:2.000000,
        seg_00001.m4s
        #EXTINF:2.000000,
        /live/demo/360p/seg_00002.m4s?x=1
        #EXTINF:2.000000,
        http://elsewhere.example/seg_00003.m4s
        #EXTINF:2.000000,
        http://edge:8081/~t/TOKEN/live/demo/360p/seg_00004.m4s
        """;
    String local = rewriter.rewrite(media, "http://edge:8081/~t/TOKEN/live/demo/360p/index.m3u8");
    assertTrue(local.contains("#EXT-X-KEY:METHOD=AES-128,URI=\"/live/demo/keys/k1\",IV=0x1\n"), local);
    assertTrue(local.contains("#EXT-X-MAP:URI=\"/live/demo/360p/init_e1_%25v.mp4\"\n"), local);
    assertTrue(local.contains("\n/live/demo/360p/seg_00001.m4s\n"), local);
    // A root-relative URI of the routed edge left its token prefix: here it keeps its path (and gets the token back upstream).
    assertTrue(local.contains("\n/live/demo/360p/seg_00002.m4s?x=1\n"), local);
    assertTrue(local.contains("\nhttp://elsewhere.example/seg_00003.m4s\n"), local);
    assertTrue(local.contains("\n/live/demo/360p/seg_00004.m4s\n"), local);
    assertFalse(local.contains("TOKEN"), local);
    assertTrue(local.endsWith(".m4s\n") && !local.endsWith("\n\n"), local);
  }

  @Test
  void localPathsMapBelowTheUpstreamBase() {
    assertEquals("/live/demo/master.m3u8", paths.masterPath());
    assertEquals("http://edge:8081/~t/TOKEN/live/demo/360p/seg.m4s?a=b", paths.upstream("/live/demo/360p/seg.m4s", "a=b"));
    assertEquals("/live/x", paths.local("http://edge:8081/~t/TOKEN/live/x"));
    assertNull(paths.local("http://elsewhere:8081/live/x"));
    assertTrue(UpstreamPaths.safeLocal("/live/demo/360p/init_e1_%v.mp4"));
    assertFalse(UpstreamPaths.safeLocal("/live/../../etc/passwd"));
    assertFalse(UpstreamPaths.safeLocal("/live/%2e%2e/x"));
    assertFalse(UpstreamPaths.safeLocal("/live/a%2Fb"));
    assertFalse(UpstreamPaths.safeLocal("live/x"));
  }
}
