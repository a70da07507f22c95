package dev.swarmcdn.kit.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The player's files on a real Vert.x server: gzip when accepted, validators, 304, HEAD, refusals. */
class PlayerPageTest {

  private static final byte[] SCRIPT = "export const x = 'swarm';\n".repeat(400).getBytes(StandardCharsets.UTF_8);

  @TempDir
  static Path dir;
  private static Vertx vertx;
  private static HttpServer server;
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    Files.createDirectories(dir.resolve("player"));
    Files.write(dir.resolve("player/player.js"), SCRIPT);
    Files.writeString(dir.resolve("player/index.html"), "<!doctype html><title>player</title>");
    PlayerPage page = new PlayerPage(new URLClassLoader(new URL[] {dir.toUri().toURL()}, null));
    Router router = Router.router(vertx = Vertx.vertx());
    router.route(PlayerPage.PATH + "*").handler(page::handle);
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static HttpResponse<byte[]> send(String method, String path, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
        .method(method, HttpRequest.BodyPublishers.noBody());
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void aBrowserThatAcceptsGzipGetsTheBundleGzippedWithItsOwnValidator() throws Exception {
    HttpResponse<byte[]> gzipped = send("GET", "/player/player.js", "Accept-Encoding", "gzip, deflate, br");
    assertEquals(200, gzipped.statusCode());
    assertEquals("gzip", gzipped.headers().firstValue("Content-Encoding").orElse(null));
    assertEquals("Accept-Encoding", gzipped.headers().firstValue("Vary").orElse(null));
    assertEquals("no-cache", gzipped.headers().firstValue("Cache-Control").orElse(null));
    assertEquals("text/javascript; charset=utf-8", gzipped.headers().firstValue("Content-Type").orElse(null));
    assertTrue(gzipped.body().length < SCRIPT.length / 5, "compressed: " + gzipped.body().length);
    assertArrayEquals(SCRIPT, new GZIPInputStream(new ByteArrayInputStream(gzipped.body())).readAllBytes());

    HttpResponse<byte[]> plain = send("GET", "/player/player.js");
    assertFalse(plain.headers().firstValue("Content-Encoding").isPresent());
    assertArrayEquals(SCRIPT, plain.body());
    String etag = gzipped.headers().firstValue("ETag").orElseThrow();
    assertNotEquals(etag, plain.headers().firstValue("ETag").orElseThrow(), "one tag per content coding");

    assertEquals(304, send("GET", "/player/player.js", "Accept-Encoding", "gzip", "If-None-Match", etag).statusCode());
    assertEquals(200, send("GET", "/player/player.js", "Accept-Encoding", "gzip;q=0", "If-None-Match", etag).statusCode(),
        "q=0 refuses gzip: the identity form, whose tag differs");
  }

  @Test
  void headSaysWhatAGetWouldWithoutTheBody() throws Exception {
    HttpResponse<byte[]> head = send("HEAD", "/player/player.js", "Accept-Encoding", "gzip");
    HttpResponse<byte[]> get = send("GET", "/player/player.js", "Accept-Encoding", "gzip");
    assertEquals(200, head.statusCode());
    assertEquals(0, head.body().length);
    for (String name : new String[] {"Content-Type", "Content-Length", "Content-Encoding", "ETag", "Cache-Control"}) {
      assertEquals(get.headers().firstValue(name), head.headers().firstValue(name), name);
    }
  }

  @Test
  void theFolderIsItsPageAndNothingElseIsServed() throws Exception {
    HttpResponse<byte[]> page = send("GET", "/player/");
    assertEquals(200, page.statusCode());
    assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElse(null));
    for (String path : new String[] {"/player/missing.js", "/player/sub/player.js", "/player/..%2Fplayer%2Fplayer.js",
        "/player/player.exe", "/player/.hidden.js"}) {
      assertEquals(404, send("GET", path).statusCode(), path);
    }
    HttpResponse<byte[]> post = send("POST", "/player/player.js");
    assertEquals(405, post.statusCode());
    assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElse(null));
  }

  @Test
  void acceptEncodingIsReadAsRfc9110SaysIt() {
    assertTrue(PlayerPage.acceptsGzip("gzip"));
    assertTrue(PlayerPage.acceptsGzip("br;q=1.0, GZIP;q=0.5"));
    assertTrue(PlayerPage.acceptsGzip("*"));
    assertFalse(PlayerPage.acceptsGzip(null));
    assertFalse(PlayerPage.acceptsGzip("br, deflate"));
    assertFalse(PlayerPage.acceptsGzip("gzip;q=0"));
    assertFalse(PlayerPage.acceptsGzip("gzip; q=0.000"));
    assertFalse(PlayerPage.acceptsGzip("identity"));
  }
}
