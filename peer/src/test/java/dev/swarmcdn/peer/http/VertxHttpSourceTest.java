package dev.swarmcdn.peer.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.swarmcdn.kit.http.tls.TlsTrust;
import dev.swarmcdn.peer.util.ContextClock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.net.NetServer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a real TCP server that closes connections without answering, as a server closing idle keep-alive ones can. */
class VertxHttpSourceTest {
  private static final byte[] BODY = "#EXTM3U\n".getBytes(StandardCharsets.US_ASCII);

  private Vertx vertx;
  private VertxHttpSource http;
  private final AtomicInteger connections = new AtomicInteger();
  /** Connections, counted from 1, that are closed on their first request instead of answered. */
  private volatile int closeUpTo;
  private String base;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    NetServer server = vertx.createNetServer().connectHandler(socket -> {
      int number = connections.incrementAndGet();
      socket.handler(request -> {
        if (number <= closeUpTo) {
          socket.close();
          return;
        }
        socket.write(Buffer.buffer("HTTP/1.1 200 OK\r\nContent-Length: " + BODY.length + "\r\n\r\n").appendBytes(BODY));
      });
    });
    int port = await(server.listen(0, "127.0.0.1")).actualPort();
    base = "http://127.0.0.1:" + port;
    http = new VertxHttpSource(vertx, new ContextClock(vertx.getOrCreateContext()), TlsTrust.JVM);
  }

  @AfterEach
  void stop() throws Exception {
    http.close();
    await(vertx.close());
  }

  @Test
  void aRequestWhoseConnectionClosedBeforeAnyAnswerIsSentOnceMore() throws Exception {
    closeUpTo = 1;

    Buffer body = await(http.get(base + "/live/index.m3u8"));

    assertArrayEquals(BODY, body.getBytes());
    assertEquals(2, connections.get());
  }

  @Test
  void aSegmentWhoseConnectionClosedBeforeAnyAnswerIsFetchedOnceMore() throws Exception {
    closeUpTo = 1;

    HttpResult result = await(http.fetchSegment(base + "/live/seg1.ts", 0, -1, (got, size) -> { }).result());

    assertArrayEquals(BODY, result.data());
    assertEquals(2, connections.get());
  }

  @Test
  void onlyOnceMore() {
    closeUpTo = Integer.MAX_VALUE;

    ExecutionException failed = assertThrows(ExecutionException.class, () -> await(http.get(base + "/live/index.m3u8")));

    assertInstanceOf(HttpClosedException.class, failed.getCause());
    assertEquals(2, connections.get());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
