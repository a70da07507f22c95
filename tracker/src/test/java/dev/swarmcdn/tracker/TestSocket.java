package dev.swarmcdn.tracker;

import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real WebSocket to the tracker, what the test clients of both protocols are made of: the text
 * messages it received, in order, and the code it was closed with.
 */
abstract class TestSocket implements AutoCloseable {

  /**
   * How long a test waits for a message it expects: a bound that only a failure reaches. 5 s was
   * reached once by a clustered join on a CI machine loaded several times over (TrackerClusterTest).
   */
  static final long WAIT_SECONDS = 15;

  private final ClientWebSocket socket;
  private final BlockingQueue<String> inbox = new LinkedBlockingQueue<>();
  private final CompletableFuture<Short> closed = new CompletableFuture<>();

  TestSocket(WebSocketClient client) {
    socket = client.webSocket();
    // Handlers go on before connecting: the tracker may speak first.
    socket.textMessageHandler(inbox::add);
    socket.closeHandler(ignored -> closed.complete(socket.closeStatusCode()));
  }

  /** Connects to {@code path}; {@code headers} go on the handshake request. */
  void open(int port, String path, Map<String, String> headers) throws Exception {
    open(port, path, headers, false);
  }

  /** Connects to {@code path} over TLS (wss://localhost) when {@code tls}. */
  void open(int port, String path, Map<String, String> headers, boolean tls) throws Exception {
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(tls ? "localhost" : "127.0.0.1")
        .setPort(port).setURI(path).setSsl(tls);
    headers.forEach(options::putHeader);
    socket.connect(options).toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  /** The next text message, or null if none came within {@value #WAIT_SECONDS} s. */
  String poll() throws InterruptedException {
    return inbox.poll(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  /** The next text message if one is there already, else null. */
  String pollNow() {
    return inbox.poll();
  }

  void sendRaw(String text) {
    socket.writeTextMessage(text);
  }

  /** The socket itself, for frames of any kind and for pausing reads. */
  ClientWebSocket socket() {
    return socket;
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
