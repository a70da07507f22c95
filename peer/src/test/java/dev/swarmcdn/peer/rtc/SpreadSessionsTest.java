package dev.swarmcdn.peer.rtc;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sessions spread over runtimes of their own: real WebRTC between two libwebrtc factories. */
class SpreadSessionsTest {

  @Test
  void sessionsTakeTheRuntimesInTurnAndPeersOnDifferentOnesExchangeMessages() {
    try (SpreadSessions spread = new SpreadSessions(2)) {
      PeerPair pair = new PeerPair(spread).connect();
      try {
        assertEquals(List.of(1, 1), spread.openSessions(), "the offerer on one runtime, the answerer on the other");
        byte[] there = {1, 2, 3};
        byte[] back = {4, 5};
        pair.offerer.run(() -> pair.offerer.channel().send(ByteBuffer.wrap(there)));
        pair.answerer.run(() -> pair.answerer.channel().send(ByteBuffer.wrap(back)));

        await().atMost(PeerPair.BOUND).until(
            () -> pair.answerer.recorder.messages.size() == 1 && pair.offerer.recorder.messages.size() == 1);
        assertArrayEquals(there, pair.answerer.recorder.messages.get(0).bytes());
        assertArrayEquals(back, pair.offerer.recorder.messages.get(0).bytes());
      } finally {
        pair.close();
        pair.closeVertx();
      }
      assertEquals(List.of(0, 0), spread.openSessions());
    }
  }

  @Test
  void refusesToSpreadOverNoRuntime() {
    assertThrows(IllegalArgumentException.class, () -> new SpreadSessions(0));
  }
}
