package dev.swarmcdn.peer.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.swarmcdn.peer.engine.Delivery;
import dev.swarmcdn.peer.engine.SegmentRef;
import dev.swarmcdn.peer.player.VirtualPlayer;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlayedCheckTest {
  static final byte[] SEGMENT = {1, 2, 3, 4};
  static final byte[] FLIPPED = {~1, ~2, ~3, ~4};

  static VirtualPlayer.SegmentEvent played(long sequence, byte[] data, long p2pBytes) {
    SegmentRef ref = new SegmentRef("demo/360p", sequence, "http://edge/live/demo/360p/" + sequence + ".m4s",
        sequence + ".m4s", "http://edge/live/demo/360p/index.m3u8", 2, 100_000, true);
    return new VirtualPlayer.SegmentEvent(ref, new Delivery(data, data.length - p2pBytes, p2pBytes, 0));
  }

  @Test
  void segmentsFromPeersAreComparedWithTheEdgesCopy() {
    PlayedCheck check = new PlayedCheck();
    check.played(1, played(7, SEGMENT, 0));
    check.played(2, played(7, SEGMENT, 4));
    check.played(3, played(7, FLIPPED, 4));
    assertEquals(new PlayedCheck.Verdict(2, 1, 0), check.verdict(url -> null));
  }

  @Test
  void aSegmentNoViewerGotFromTheEdgeIsFetchedFromItOnce() {
    PlayedCheck check = new PlayedCheck();
    check.played(1, played(8, SEGMENT, 2));
    check.played(2, played(8, SEGMENT, 4));
    check.played(3, played(9, SEGMENT, 4));
    Map<String, byte[]> edge = Map.of(played(8, SEGMENT, 0).ref().url(), SEGMENT);
    assertEquals(new PlayedCheck.Verdict(2, 0, 1), check.verdict(edge::get));
  }
}
