package dev.swarmcdn.tracker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.protocol.tracker.ServerMessage;
import dev.swarmcdn.protocol.tracker.TrackerCodec;
import dev.swarmcdn.tracker.session.CloseCodes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The tracker's WebSocket at the byte level (RFC 6455): the handshake, the frames it writes, and
 * what it does with frames that break the protocol, driven by a client written by hand.
 */
class WebSocketFramingTest {

  private static final int PING = 0x9;
  private static final int PONG = 0xA;
  private static final int CLOSE = 0x8;
  private static final int TEXT = 0x1;
  private static final int CONTINUATION = 0x0;

  private RunningTracker tracker;

  @BeforeEach
  void start() throws Exception {
    tracker = RunningTracker.start(TrackerConfig.builder());
  }

  @AfterEach
  void stop() throws Exception {
    tracker.close();
  }

  private int port() {
    return tracker.server().port();
  }

  @Test
  void theHandshakeAnswersWithTheAcceptKeyOfRfc6455() throws Exception {
    // The example of RFC 6455 section 1.3.
    String head = RawWebSocket.handshake(port(), RawWebSocket.request(TrackerServer.WEBSOCKET_PATH,
        "dGhlIHNhbXBsZSBub25jZQ==", "13"));
    assertTrue(head.startsWith("HTTP/1.1 101 "), head);
    assertTrue(head.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"), head);
    assertTrue(head.toLowerCase().contains("upgrade: websocket\r\n"), head);
  }

  @Test
  void anotherVersionOrAMissingKeyIsRefusedOverHttp() throws Exception {
    String oldVersion = RawWebSocket.handshake(port(), RawWebSocket.request(TrackerServer.WEBSOCKET_PATH,
        "dGhlIHNhbXBsZSBub25jZQ==", "8"));
    assertTrue(oldVersion.startsWith("HTTP/1.1 426 "), oldVersion);
    assertTrue(oldVersion.contains("Sec-WebSocket-Version: 13\r\n"), oldVersion);
    String noKey = RawWebSocket.handshake(port(), RawWebSocket.request(TrackerServer.WEBSOCKET_PATH, null, "13"));
    assertTrue(noKey.startsWith("HTTP/1.1 400 "), noKey);
    String shortKey = RawWebSocket.handshake(port(), RawWebSocket.request(TrackerServer.WEBSOCKET_PATH, "c2hvcnQ=", "13"));
    assertTrue(shortKey.startsWith("HTTP/1.1 400 "), shortKey);
  }

  @Test
  void messagesGoOutAsUnmaskedTextFramesAndPingsAreAnsweredWithTheirPayload() throws Exception {
    try (RawWebSocket ws = RawWebSocket.open(port(), TrackerServer.WEBSOCKET_PATH)) {
      RawWebSocket.Frame welcome = ws.next();
      assertEquals(TEXT, welcome.opcode());
      assertTrue(welcome.last());
      assertTrue(TrackerCodec.decodeServer(welcome.text()) instanceof ServerMessage.Welcome, welcome.text());
      ws.send(PING, true, "are you there".getBytes(StandardCharsets.UTF_8), true);
      RawWebSocket.Frame pong = ws.next();
      assertEquals(PONG, pong.opcode());
      assertEquals("are you there", pong.text());
    }
  }

  @Test
  void aMessageInFragmentsWithAPingBetweenThemIsOneMessage() throws Exception {
    try (RawWebSocket ws = RawWebSocket.open(port(), TrackerServer.WEBSOCKET_PATH)) {
      ws.next();
      ws.send(TEXT, false, "{\"v\":1,".getBytes(StandardCharsets.UTF_8), true);
      ws.send(PING, true, new byte[0], true);
      ws.send(CONTINUATION, true, "\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8), true);
      assertEquals(PONG, ws.next().opcode());
      RawWebSocket.Frame answer = ws.next();
      assertTrue(TrackerCodec.decodeServer(answer.text()) instanceof ServerMessage.Pong, answer.text());
    }
  }

  @Test
  void textThatIsNotUtf8ClosesWith1007() throws Exception {
    try (RawWebSocket ws = RawWebSocket.open(port(), TrackerServer.WEBSOCKET_PATH)) {
      ws.next();
      // An overlong encoding of '/', which a lenient decoder would let through.
      ws.send(TEXT, true, new byte[] {'{', (byte) 0xC0, (byte) 0xAF, '}'}, true);
      RawWebSocket.Frame close = ws.nextControl();
      assertEquals(CLOSE, close.opcode());
      assertEquals(CloseCodes.INVALID_PAYLOAD, close.closeStatus());
      assertTrue(ws.closedByServer());
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> tracker.disconnects("protocol_error") == 1.0);
  }

  @Test
  void aReplacementCharacterThePeerSentIsText() throws Exception {
    try (RawWebSocket ws = RawWebSocket.open(port(), TrackerServer.WEBSOCKET_PATH)) {
      ws.next();
      ws.sendText("{\"v\":1,\"type\":\"ping\",\"pad\":\"\uFFFD\"}");
      RawWebSocket.Frame answer = ws.next();
      assertEquals(TEXT, answer.opcode());
      assertTrue(TrackerCodec.decodeServer(answer.text()) instanceof ServerMessage.Pong, answer.text());
    }
  }

  @Test
  void anUnmaskedFrameIsAProtocolErrorAndClosesWith1002() throws Exception {
    try (RawWebSocket ws = RawWebSocket.open(port(), TrackerServer.WEBSOCKET_PATH)) {
      ws.next();
      ws.send(TEXT, true, "{\"v\":1,\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8), false);
      RawWebSocket.Frame close = ws.nextControl();
      assertEquals(1002, close.closeStatus());
      assertTrue(ws.closedByServer());
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> tracker.disconnects("protocol_error") == 1.0);
  }

  @Test
  void aCloseFromThePeerIsEchoedAndTheConnectionEnds() throws Exception {
    try (RawWebSocket ws = RawWebSocket.open(port(), TrackerServer.WEBSOCKET_PATH)) {
      ws.next();
      await().atMost(Duration.ofSeconds(5)).until(() -> tracker.gauge("tracker.peers.connected") == 1.0);
      ws.send(CLOSE, true, new byte[] {0x03, (byte) 0xE8}, true);
      RawWebSocket.Frame close = ws.nextControl();
      assertEquals(CLOSE, close.opcode());
      assertEquals(1000, close.closeStatus());
      assertTrue(ws.closedByServer());
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> tracker.gauge("tracker.peers.connected") == 0.0);
  }

  @Test
  void aTrackerThatStopsSaysItIsGoingAway() throws Exception {
    try (RawWebSocket ws = RawWebSocket.open(port(), TrackerServer.WEBSOCKET_PATH)) {
      ws.next();
      tracker.server().stop().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      RawWebSocket.Frame close = ws.nextControl();
      assertEquals(CLOSE, close.opcode());
      assertEquals(1001, close.closeStatus());
    }
  }
}
