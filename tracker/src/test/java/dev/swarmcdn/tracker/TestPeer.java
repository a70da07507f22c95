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
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A peer for tests: a real WebSocket to the tracker, and what the tracker sent it, in order. */
final class TestPeer implements AutoCloseable {

  static final long WAIT_SECONDS = 5;

  private final ClientWebSocket socket;
  private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
  private final CompletableFuture<Short> closed = new CompletableFuture<>();
  private String peerId;

  private TestPeer(ClientWebSocket socket) {
    this.socket = socket;
  }

  /** Connects and reads the welcome; {@code headers} go on the handshake request. */
  static TestPeer connect(WebSocketClient client, int port, Map<String, String> headers) throws Exception {
    // Handlers go on before connecting: the welcome may arrive at once.
    TestPeer peer = new TestPeer(client.webSocket());
    peer.socket.textMessageHandler(text -> {
      try {
        peer.inbox.add(TrackerCodec.decodeServer(text));
      } catch (ProtocolException e) {
        peer.inbox.add(e);
      }
    });
    peer.socket.closeHandler(ignored -> peer.closed.complete(peer.socket.closeStatusCode()));
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
        .setURI(TrackerServer.WEBSOCKET_PATH);
    headers.forEach(options::putHeader);
    peer.socket.connect(options).toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    peer.peerId = peer.next(ServerMessage.Welcome.class).peerId();
    return peer;
  }

  String peerId() {
    return peerId;
  }

  void send(ClientMessage message) {
    sendRaw(TrackerCodec.encode(message));
  }

  void sendRaw(String text) {
    socket.writeTextMessage(text);
  }

  void sendFrame(WebSocketFrame frame) {
    socket.writeFrame(frame);
  }

  ServerMessage.Peers join(SwarmId swarm, String edge, int uploadSlots, Long have) throws Exception {
    send(new ClientMessage.Join(swarm, edge, uploadSlots, have, null));
    return next(ServerMessage.Peers.class);
  }

  /** The next frame from the tracker, which must be of {@code type}; pongs are skipped unless asked for. */
  <T extends ServerMessage> T next(Class<T> type) throws Exception {
    while (true) {
      Object received = inbox.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      assertNotNull(received, "nothing from the tracker within " + WAIT_SECONDS + " s, expected " + type.getSimpleName());
      if (received instanceof ProtocolException e) {
        throw new AssertionError("the tracker sent a frame its own codec refuses", e);
      }
      if (received instanceof ServerMessage.Pong && type != ServerMessage.Pong.class) {
        continue;
      }
      return assertInstanceOf(type, received);
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
    Object received = inbox.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertInstanceOf(ServerMessage.Pong.class, received, "expected only the pong, got " + received);
  }

  /** The close code the tracker closed this connection with. */
  short awaitClose() throws Exception {
    return closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  boolean isClosed() {
    return closed.isDone();
  }

  @Override
  public void close() throws Exception {
    if (!closed.isDone()) {
      socket.close().toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    }
  }
}
