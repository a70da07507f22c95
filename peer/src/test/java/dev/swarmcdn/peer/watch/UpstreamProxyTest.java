package dev.swarmcdn.peer.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.kit.http.tls.TlsTrust;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Passing through to a real upstream (a Vert.x server on 127.0.0.1): its failures are 502s, its playlists rewritten. */
class UpstreamProxyTest {
  Vertx vertx;
  UpstreamProxy proxy;
  int upstreamPort;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    proxy = new UpstreamProxy(vertx, TlsTrust.JVM);
    HttpServer upstream = vertx.createHttpServer().requestHandler(request -> {
      switch (request.path()) {
        case "/broken.m4s" -> request.response().setStatusCode(503).end("down");
        case "/gone.m4s" -> request.response().setStatusCode(404).end("no such segment");
        case "/live/other/index.m3u8" -> request.response().putHeader("Content-Type", "application/vnd.apple.mpegurl")
            .end("#EXTM3U\n#EXT-X-MAP:URI=\"init.mp4\"\n#EXTINF:2,\nseg1.m4s\n");
        default -> request.response().putHeader("Content-Type", "video/mp4").end("0123456789");
      }
    }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    upstreamPort = upstream.actualPort();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** A local server that passes everything to {@code upstreamBase}, rewriting playlists. */
  String local(String upstreamBase) throws Exception {
    UpstreamPaths paths = UpstreamPaths.of("/live/other/master.m3u8", upstreamBase + "/live/other/master.m3u8");
    PlaylistRewriter rewriter = new PlaylistRewriter(paths);
    HttpServer server = vertx.createHttpServer().requestHandler(request -> proxy.forward(request,
        paths.upstream(request.path(), request.query()), request.path().endsWith(".m3u8") ? rewriter::rewrite : null))
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return "http://127.0.0.1:" + server.actualPort();
  }

  @Test
  void upstreamAnswersPassThroughAndItsFailuresAre502() throws Exception {
    String base = local("http://127.0.0.1:" + upstreamPort);
    PlainHttp.Got bytes = PlainHttp.get(base + "/init.mp4");
    assertEquals(200, bytes.status());
    assertEquals("0123456789", bytes.text());
    assertEquals("video/mp4", bytes.contentType());
    PlainHttp.Got ranged = PlainHttp.request("GET", base + "/init.mp4", "bytes=0-3");
    assertEquals(200, ranged.status(), "the upstream here ignores ranges, and says so with its 200");

    PlainHttp.Got playlist = PlainHttp.get(base + "/live/other/index.m3u8");
    assertEquals(200, playlist.status());
    assertEquals("#EXTM3U\n#EXT-X-MAP:URI=\"/live/other/init.mp4\"\n#EXTINF:2,\n/live/other/seg1.m4s\n", playlist.text());

    assertEquals(404, PlainHttp.get(base + "/gone.m4s").status());
    PlainHttp.Got broken = PlainHttp.get(base + "/broken.m4s");
    assertEquals(502, broken.status());
    assertTrue(broken.text().contains("answered 503"), broken.text());
  }

  @Test
  void anUnreachableUpstreamIsA502WithTheReason() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    PlainHttp.Got answer = PlainHttp.get(local("http://127.0.0.1:" + closed) + "/seg.m4s");
    assertEquals(502, answer.status());
    assertTrue(answer.text().contains("upstream http://127.0.0.1:" + closed + "/seg.m4s"), answer.text());
  }
}
