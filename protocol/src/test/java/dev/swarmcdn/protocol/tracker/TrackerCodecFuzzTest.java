package dev.swarmcdn.protocol.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Tracker frames: the tracker reads what any viewer sends ({@link TrackerCodec#decodeClient}) and a
 * peer reads what a tracker, or whatever answers at its URL, sends ({@link TrackerCodec#decodeServer}).
 * Each either returns a message or throws {@link ProtocolException} with a code; a message it returns
 * encodes to a frame that decodes to the same message, and that frame is its own canonical form.
 */
class TrackerCodecFuzzTest {

  @FuzzTest
  void decodeClient(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    ClientMessage message;
    try {
      message = TrackerCodec.decodeClient(text);
    } catch (ProtocolException refused) {
      assertNotNull(refused.code());
      assertNotNull(refused.toFrame());
      return;
    }
    String encoded = TrackerCodec.encode(message);
    try {
      assertEquals(message, TrackerCodec.decodeClient(encoded));
    } catch (ProtocolException e) {
      throw new AssertionError("refused its own encoding of " + message + ": " + encoded, e);
    }
  }

  @FuzzTest
  void decodeServer(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    ServerMessage message;
    try {
      message = TrackerCodec.decodeServer(text);
    } catch (ProtocolException refused) {
      assertNotNull(refused.code());
      return;
    }
    String encoded = TrackerCodec.encode(message);
    try {
      assertEquals(message, TrackerCodec.decodeServer(encoded));
    } catch (ProtocolException e) {
      throw new AssertionError("refused its own encoding of " + message + ": " + encoded, e);
    }
  }
}
