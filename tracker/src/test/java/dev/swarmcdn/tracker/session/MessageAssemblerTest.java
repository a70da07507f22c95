package dev.swarmcdn.tracker.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.swarmcdn.tracker.session.MessageAssembler.Outcome;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MessageAssemblerTest {

  private final MessageAssembler assembler = new MessageAssembler(10, 20);

  @Test
  void aWholeTextFrameIsAMessage() {
    MessageAssembler.Assembled message = assembler.accept(WebSocketFrame.textFrame("hello", true));
    assertEquals(Outcome.TEXT, message.outcome());
    assertEquals("hello", message.text());
  }

  @Test
  void fragmentsAreJoinedEvenInsideAMultiByteCharacter() {
    byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
    assertEquals(Outcome.PARTIAL, assembler.accept(WebSocketFrame.binaryFrame(Buffer.buffer(), false)).outcome());
    assertEquals(Outcome.BINARY, assembler.accept(WebSocketFrame.continuationFrame(Buffer.buffer("x"), true)).outcome());
    assertEquals(Outcome.PARTIAL, assembler.accept(WebSocketFrame.textFrame("a", false)).outcome());
    assertEquals(Outcome.PARTIAL, assembler.accept(WebSocketFrame.continuationFrame(
        Buffer.buffer(new byte[] {euro[0], euro[1]}), false)).outcome());
    MessageAssembler.Assembled message = assembler.accept(WebSocketFrame.continuationFrame(
        Buffer.buffer(new byte[] {euro[2], 'b'}), true));
    assertEquals("a€b", message.text());
  }

  @Test
  void controlFramesPassThrough() {
    assertEquals(Outcome.PARTIAL, assembler.accept(WebSocketFrame.pingFrame(Buffer.buffer("p"))).outcome());
  }

  @Test
  void overTheLimitIsTooLargeOnceCompleteAndTheNextMessageIsFine() {
    assertEquals(Outcome.PARTIAL, assembler.accept(WebSocketFrame.textFrame("123456", false)).outcome());
    assertEquals(Outcome.PARTIAL, assembler.accept(WebSocketFrame.continuationFrame(Buffer.buffer("789012"), false)).outcome());
    assertEquals(Outcome.TOO_LARGE, assembler.accept(WebSocketFrame.continuationFrame(Buffer.buffer("3"), true)).outcome());
    assertEquals("ok", assembler.accept(WebSocketFrame.textFrame("ok", true)).text());
  }

  @Test
  void pastTheHardLimitIsAnOverflowAtOnce() {
    assertEquals(Outcome.PARTIAL, assembler.accept(WebSocketFrame.textFrame("1234567890", false)).outcome());
    assertEquals(Outcome.PARTIAL, assembler.accept(WebSocketFrame.continuationFrame(Buffer.buffer("1234567890"), false)).outcome());
    assertEquals(Outcome.OVERFLOW, assembler.accept(WebSocketFrame.continuationFrame(Buffer.buffer("1"), false)).outcome());
  }
}
