package dev.swarmcdn.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.swarmcdn.protocol.tracker.ClientMessage;
import dev.swarmcdn.protocol.tracker.ErrorCode;
import dev.swarmcdn.protocol.tracker.ProtocolException;
import dev.swarmcdn.protocol.tracker.ServerMessage;
import dev.swarmcdn.protocol.tracker.SwarmId;
import dev.swarmcdn.protocol.tracker.TrackerCodec;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketFrame;
import java.util.Map;

/** A peer for tests: a real WebSocket to the tracker, and what the tracker sent it, in order. */
final class TestPeer extends TestSocket {

  private String peerId;

  private TestPeer(WebSocketClient client) {
    super(client);
  }

  /** Connects and reads the welcome; {@code headers} go on the handshake request. */
  static TestPeer connect(WebSocketClient client, int port, Map<String, String> headers) throws Exception {
    return connect(client, port, headers, false);
  }

  /** Over TLS (wss://localhost) when {@code tls}: the client must trust the tracker's certificate. */
  static TestPeer connect(WebSocketClient client, int port, Map<String, String> headers, boolean tls) throws Exception {
    TestPeer peer = new TestPeer(client);
    peer.open(port, TrackerServer.WEBSOCKET_PATH, headers, tls);
    peer.peerId = peer.next(ServerMessage.Welcome.class).peerId();
    return peer;
  }

  /** The next frame, decoded; null if none came in time. */
  private ServerMessage receive() throws Exception {
    String text = poll();
    if (text == null) {
      return null;
    }
    try {
      return TrackerCodec.decodeServer(text);
    } catch (ProtocolException e) {
      throw new AssertionError("the tracker sent a frame its own codec refuses", e);
    }
  }

  /** The frames received and not read yet, without waiting for more. */
  java.util.List<ServerMessage> drain() throws Exception {
    java.util.List<ServerMessage> frames = new java.util.ArrayList<>();
    for (String text = pollNow(); text != null; text = pollNow()) {
      frames.add(TrackerCodec.decodeServer(text));
    }
    return frames;
  }

  String peerId() {
    return peerId;
  }

  void send(ClientMessage message) {
    sendRaw(TrackerCodec.encode(message));
  }

  void sendFrame(WebSocketFrame frame) {
    socket().writeFrame(frame);
  }

  /** Stops or starts reading what the tracker sends, as a peer that hangs would. */
  void reading(boolean reading) {
    if (reading) {
      socket().resume();
    } else {
      socket().pause();
    }
  }

  ServerMessage.Peers join(SwarmId swarm, String edge, int uploadSlots, Long have) throws Exception {
    return join(new ClientMessage.Join(swarm, edge, uploadSlots, have, null));
  }

  /** Sends the join and reads its answer. */
  ServerMessage.Peers join(ClientMessage.Join join) throws Exception {
    send(join);
    return next(ServerMessage.Peers.class);
  }

  /** The next frame from the tracker, which must be of {@code type}; pongs are skipped unless asked for. */
  <T extends ServerMessage> T next(Class<T> type) throws Exception {
    while (true) {
      ServerMessage received = receive();
      assertNotNull(received, "nothing from the tracker within " + WAIT_SECONDS + " s, expected " + type.getSimpleName());
      if (received instanceof ServerMessage.Pong && type != ServerMessage.Pong.class) {
        continue;
      }
      return assertInstanceOf(type, received);
    }
  }

  /**
   * Sends a ping and returns the first frame that comes back: the pong, or an answer to something
   * sent before it.
   */
  ServerMessage nextOrPong() throws Exception {
    send(new ClientMessage.Ping());
    ServerMessage received = receive();
    assertNotNull(received, "nothing from the tracker within " + WAIT_SECONDS + " s");
    if (!(received instanceof ServerMessage.Pong)) {
      // The ping's own pong follows.
      assertInstanceOf(ServerMessage.Pong.class, receive());
    }
    return received;
  }

  /** Frames of {@code type} may still come; then a ping sent now must be answered with nothing else before it. */
  void expectNothingMoreThan(Class<? extends ServerMessage> type) throws Exception {
    send(new ClientMessage.Ping());
    while (true) {
      ServerMessage received = receive();
      assertNotNull(received, "no pong from the tracker within " + WAIT_SECONDS + " s");
      if (received instanceof ServerMessage.Pong) {
        return;
      }
      assertInstanceOf(type, received);
    }
  }

  /** Waits for the next pong, passing over error frames with {@code code} only. */
  void awaitPongPassing(ErrorCode code) throws Exception {
    while (true) {
      ServerMessage received = receive();
      assertNotNull(received, "no pong from the tracker within " + WAIT_SECONDS + " s");
      if (received instanceof ServerMessage.Pong) {
        return;
      }
      assertEquals(code, assertInstanceOf(ServerMessage.ErrorFrame.class, received).code());
    }
  }

  /** Sends a ping and counts the error frames before its pong, each of which must have this code and ref. */
  int errorsBeforePong(ErrorCode code, String ref) throws Exception {
    send(new ClientMessage.Ping());
    int errors = 0;
    while (true) {
      ServerMessage received = receive();
      assertNotNull(received, "no pong from the tracker within " + WAIT_SECONDS + " s");
      if (received instanceof ServerMessage.Pong) {
        return errors;
      }
      ServerMessage.ErrorFrame error = assertInstanceOf(ServerMessage.ErrorFrame.class, received);
      assertEquals(code, error.code(), error.message());
      assertEquals(ref, error.ref());
      errors++;
    }
  }

  /** The next frame must be an error with this code and ref. */
  ServerMessage.ErrorFrame expectError(ErrorCode code, String ref) throws Exception {
    ServerMessage.ErrorFrame error = next(ServerMessage.ErrorFrame.class);
    assertEquals(code, error.code(), error.message());
    assertEquals(ref, error.ref());
    return error;
  }

  /**
   * Proves the tracker has handled everything sent so far without answering it: a ping sent now is
   * answered after all of it, so the next frame must be its pong.
   */
  void expectNothingMore() throws Exception {
    send(new ClientMessage.Ping());
    ServerMessage received = receive();
    assertInstanceOf(ServerMessage.Pong.class, received, "expected only the pong, got " + received);
  }
}
