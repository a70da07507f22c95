package dev.swarmcdn.tracker.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.swarmcdn.tracker.session.MessageAssembler.Outcome;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MessageAssemblerTest {

  private final MessageAssembler assembler = new MessageAssembler(10, 20);

  @Test
  void aWholeTextFrameIsAMessage() {
    MessageAssembler.Assembled message = accept(new TextWebSocketFrame("hello"));
    assertEquals(Outcome.TEXT, message.outcome());
    assertEquals("hello", message.text());
  }

  @Test
  void fragmentsAreJoinedEvenInsideAMultiByteCharacter() {
    byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
    assertEquals(Outcome.PARTIAL, accept(new BinaryWebSocketFrame(false, 0, Unpooled.EMPTY_BUFFER)).outcome());
    assertEquals(Outcome.BINARY, accept(continuation(true, "x".getBytes(StandardCharsets.UTF_8))).outcome());
    assertEquals(Outcome.PARTIAL, accept(new TextWebSocketFrame(false, 0, "a")).outcome());
    assertEquals(Outcome.PARTIAL, accept(continuation(false, euro[0], euro[1])).outcome());
    MessageAssembler.Assembled message = accept(continuation(true, euro[2], (byte) 'b'));
    assertEquals("a€b", message.text());
  }

  @Test
  void controlFramesPassThrough() {
    assertEquals(Outcome.PARTIAL, accept(new PingWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {'p'}))).outcome());
  }

  @Test
  void overTheLimitIsTooLargeOnceCompleteAndTheNextMessageIsFine() {
    assertEquals(Outcome.PARTIAL, accept(new TextWebSocketFrame(false, 0, "123456")).outcome());
    assertEquals(Outcome.PARTIAL, accept(continuation(false, "789012".getBytes(StandardCharsets.UTF_8))).outcome());
    assertEquals(Outcome.TOO_LARGE, accept(continuation(true, "3".getBytes(StandardCharsets.UTF_8))).outcome());
    assertEquals("ok", accept(new TextWebSocketFrame("ok")).text());
  }

  @Test
  void pastTheHardLimitIsAnOverflowAtOnce() {
    assertEquals(Outcome.PARTIAL, accept(new TextWebSocketFrame(false, 0, "1234567890")).outcome());
    assertEquals(Outcome.PARTIAL, accept(continuation(false, "1234567890".getBytes(StandardCharsets.UTF_8))).outcome());
    assertEquals(Outcome.OVERFLOW, accept(continuation(false, "1".getBytes(StandardCharsets.UTF_8))).outcome());
  }

  @Test
  void badUtf8IsRefusedWholeOrInFragmentsButAReplacementCharacterSentAsSuchIsText() {
    assertEquals(Outcome.INVALID_UTF8, accept(new TextWebSocketFrame(true, 0,
        Unpooled.wrappedBuffer(new byte[] {'a', (byte) 0xFF}))).outcome());
    assertEquals(Outcome.PARTIAL, accept(new TextWebSocketFrame(false, 0, Unpooled.wrappedBuffer(new byte[] {(byte) 0xE2}))).outcome());
    assertEquals(Outcome.INVALID_UTF8, accept(continuation(true, (byte) 'x')).outcome());
    assertEquals("\uFFFD", accept(new TextWebSocketFrame("\uFFFD")).text());
  }

  /** As the socket does: the frame is released once the assembler has seen it. */
  private MessageAssembler.Assembled accept(WebSocketFrame frame) {
    try {
      return assembler.accept(frame);
    } finally {
      frame.release();
    }
  }

  private static ContinuationWebSocketFrame continuation(boolean last, byte... bytes) {
    return new ContinuationWebSocketFrame(last, 0, Unpooled.wrappedBuffer(bytes));
  }
}
