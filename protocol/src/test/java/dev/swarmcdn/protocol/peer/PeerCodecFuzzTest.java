package dev.swarmcdn.protocol.peer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;

/**
 * Peer frames come from any browser of the swarm. {@link PeerCodec#decode} either returns a frame or
 * throws {@link PeerFrameException} with an error, whatever the bytes; a frame it returns encodes back
 * to exactly the bytes it came from (one exact form per frame), at the length it announces.
 *
 * <p>A plain build replays PeerCodecFuzzTestInputs/decode (the shared vectors and every finding);
 * {@code scripts/fuzz} fuzzes it.
 */
class PeerCodecFuzzTest {

  @FuzzTest
  void decode(byte[] message) {
    PeerFrame frame;
    try {
      frame = PeerCodec.decode(message);
    } catch (PeerFrameException refused) {
      assertNotNull(refused.error());
      return;
    }
    assertEquals(message.length, PeerCodec.encodedLength(frame));
    assertArrayEquals(message, PeerCodec.encode(frame));
    // The buffer form reads the same frame wherever the message sits in a larger buffer.
    ByteBuffer padded = ByteBuffer.allocate(message.length + 3);
    padded.position(2);
    padded.put(message).flip().position(2);
    try {
      assertEquals(frame, PeerCodec.decode(padded));
    } catch (PeerFrameException e) {
      throw new AssertionError("the same bytes at an offset were refused", e);
    }
  }
}
