package dev.swarmcdn.kit.http.framing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.kit.ops.HttpServerMeters;
import dev.swarmcdn.kit.ops.Observability;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RequestFramingTest {

  private Observability observability;
  private Vertx vertx;
  private HttpServer server;
  private final AtomicInteger handled = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    observability = Observability.create();
    vertx = observability.newVertx(new VertxOptions());
    Router router = Router.router(vertx);
    HttpServerMeters meters = observability.newHttpServerMeters();
    router.route().handler(meters);
    router.route("/hello").handler(ctx -> {
      handled.incrementAndGet();
      ctx.request().body().onSuccess(body -> ctx.response().end("hi " + body.length()));
    });
    HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(0).setHttp2ClearTextEnabled(false);
    RequestFraming framing = new RequestFraming(options, observability.registry());
    server = vertx.createHttpServer(options)
        .connectionHandler(framing::guard)
        .requestHandler(router)
        .invalidRequestHandler(meters.invalidRequests(framing.invalidRequests(HttpServerRequest.DEFAULT_INVALID_REQUEST_HANDLER)))
        .listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static List<String> heads() {
    return MalformedHeads.HEADS;
  }

  @ParameterizedTest
  @MethodSource("heads")
  void aMalformedHeadGets400AndAClosedConnectionAndNothingAfterItIsRead(String head) throws Exception {
    MalformedHeads.assertRefused(server.actualPort(), head, "/hello");
    assertEquals(0, handled.get(), "no handler saw either request");
  }

  @Test
  void refusalsAreCountedNotLogged() throws Exception {
    PrintStream err = System.err;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    try {
      for (int i = 0; i < 5; i++) {
        assertTrue(exchange("GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n").startsWith("HTTP/1.1 400 "));
        assertTrue(exchange("GET /hello HTTP/1.1\r\n\r\n").startsWith("HTTP/1.1 400 "));
      }
    } finally {
      System.setErr(err);
    }
    assertEquals("", log.toString(StandardCharsets.UTF_8), "nothing logged");
    String metrics = observability.scrape();
    assertTrue(metrics.contains("http_server_malformed_requests_total{reason=\"bad_escape\"} 5.0"), metrics);
    assertTrue(metrics.contains("http_server_malformed_requests_total{reason=\"missing_host\"} 5.0"), metrics);
    assertTrue(metrics.contains("http_server_responses_total{code=\"400\"} 10.0"), metrics);
  }

  @Test
  void wellFormedRequestsAreServedOnOneConnection() throws Exception {
    // HTTP/1.0 needs no Host; escapes are fine when complete; a chunked body alone is fine.
    try (Socket socket = new Socket("127.0.0.1", server.actualPort())) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write(("GET /hello?q=%41%2f HTTP/1.1\r\nHost: x\r\n\r\n"
          + "POST /hello HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
          + "GET /hello HTTP/1.0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      String answers = MalformedHeads.readUntilClosed(socket.getInputStream());
      assertEquals(3, answers.split("200 OK", -1).length - 1, answers);
      assertTrue(answers.contains("hi 3"), answers);
    }
    assertEquals(3, handled.get());
  }

  @Test
  void onlyCompleteEscapesAreWellFormed() {
    assertTrue(StrictRequestDecoder.wellEscaped("/a%20b?c=%7E"));
    assertFalse(StrictRequestDecoder.wellEscaped("/a%2"));
    assertFalse(StrictRequestDecoder.wellEscaped("/a%%20"));
    assertFalse(StrictRequestDecoder.wellEscaped("/a?%x0"));
  }

  private String exchange(String request) throws IOException {
    return MalformedHeads.exchange(server.actualPort(), request);
  }
}
