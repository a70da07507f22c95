package dev.swarmcdn.peer.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * The desktop peer rewrites every playlist an edge sends before its local player sees it. Whatever
 * the text, {@link PlaylistRewriter#rewrite} returns a playlist of as many lines (each ending in a
 * newline, the last one too) and throws nothing:
 * a URI it cannot read it leaves as written, for the player to fail on.
 */
class PlaylistRewriterFuzzTest {

  private static final PlaylistRewriter REWRITER = new PlaylistRewriter(UpstreamPaths.of(
      "/live/demo/master.m3u8", "http://edge:8081/~t/TOKEN/live/demo/master.m3u8"));
  private static final String UPSTREAM = "http://edge:8081/~t/TOKEN/live/demo/360p/index.m3u8";

  @FuzzTest
  void rewrite(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    String local = REWRITER.rewrite(text, UPSTREAM);
    assertEquals(lines(text), lines(local), local);
  }

  /** Lines, a final newline ending the last rather than starting another. */
  private static long lines(String text) {
    return text.split("\r?\n", -1).length - (text.endsWith("\n") ? 1 : 0);
  }
}
