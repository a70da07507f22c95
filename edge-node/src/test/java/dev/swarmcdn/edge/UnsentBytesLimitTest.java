package dev.swarmcdn.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.ChannelOption;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.impl.HttpServerConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The cap is on the socket of a real connection to a server on the edge's epoll transport. */
class UnsentBytesLimitTest {

  private final Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aClientConnectionsSocketHoldsAtMostTheCapUnsent() throws Exception {
    assumeTrue(vertx.isNativeTransportEnabled(), "epoll is the edge's transport on Linux");
    CompletableFuture<Long> applied = new CompletableFuture<>();
    HttpServer server = vertx.createHttpServer()
        .connectionHandler(connection -> {
          UnsentBytesLimit.apply(connection);
          applied.complete(((HttpServerConnection) connection).channelHandlerContext().channel().config()
              .getOption(ChannelOption.<Long>valueOf("io.netty.channel.epoll.EpollChannelOption#TCP_NOTSENT_LOWAT")));
        })
        .requestHandler(request -> request.response().end("ok"))
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertEquals("ok", response.body());
    assertEquals(UnsentBytesLimit.BYTES, applied.get(10, TimeUnit.SECONDS), "read back from the socket");
  }
}
