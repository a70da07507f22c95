package dev.swarmcdn.kit.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The responder on a real Vert.x server: in-memory and file bodies, conditionals, ranges, HEAD. */
class RepresentationResponderTest {

  private static final byte[] BYTES = "0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII);
  private static final long MODIFIED = 1_700_000_000_000L;

  @TempDir
  static Path dir;

  private static Vertx vertx;
  private static HttpServer server;
  private static Path file;
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    file = Files.write(dir.resolve("body.bin"), BYTES);
    Representation inMemory = Representation.ofBytes(Buffer.buffer(BYTES), MODIFIED, "W/\"mem\"",
        "text/plain", null);
    Representation onDisk = Representation.ofFile(file, BYTES.length, MODIFIED, "\"disk\"",
        "video/mp4", "public, max-age=5");
    Representation vanished = Representation.ofFile(dir.resolve("missing.bin"), 10, MODIFIED,
        "\"gone\"", "video/mp4", null);
    RepresentationResponder responder = new RepresentationResponder();
    vertx = Vertx.vertx();
    server = vertx.createHttpServer()
        .requestHandler(request -> responder.respond(request, switch (request.path()) {
          case "/mem" -> inMemory;
          case "/disk" -> onDisk;
          default -> vanished;
        }))
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static HttpResponse<byte[]> send(String method, String path, String... headers) throws Exception {
    HttpRequest.Builder builder = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.actualPort() + path))
        .method(method, HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) {
      builder.headers(headers);
    }
    return CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String header(HttpResponse<?> response, String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  @Test
  void wholeFileWithAllHeaders() throws Exception {
    HttpResponse<byte[]> response = send("GET", "/disk");
    assertEquals(200, response.statusCode());
    assertArrayEquals(BYTES, response.body());
    assertEquals("video/mp4", header(response, "Content-Type"));
    assertEquals("\"disk\"", header(response, "ETag"));
    assertEquals("Tue, 14 Nov 2023 22:13:20 GMT", header(response, "Last-Modified"));
    assertEquals("bytes", header(response, "Accept-Ranges"));
    assertEquals("public, max-age=5", header(response, "Cache-Control"));
    assertEquals("20", header(response, "Content-Length"));
    assertTrue(HttpDates.parse(header(response, "Date")).isPresent());
  }

  @Test
  void rangeOfBytesAndOfFile() throws Exception {
    for (String path : new String[] {"/mem", "/disk"}) {
      HttpResponse<byte[]> response = send("GET", path, "Range", "bytes=3-6");
      assertEquals(206, response.statusCode(), path);
      assertEquals("bytes 3-6/20", header(response, "Content-Range"));
      assertArrayEquals(Arrays.copyOfRange(BYTES, 3, 7), response.body());
    }
  }

  @Test
  void headSendsTheHeadersOfTheGetWithoutBody() throws Exception {
    HttpResponse<byte[]> whole = send("HEAD", "/disk");
    assertEquals(200, whole.statusCode());
    assertEquals("20", header(whole, "Content-Length"));
    assertEquals(0, whole.body().length);
    HttpResponse<byte[]> part = send("HEAD", "/mem", "Range", "bytes=-5");
    assertEquals(206, part.statusCode());
    assertEquals("5", header(part, "Content-Length"));
    assertEquals("bytes 15-19/20", header(part, "Content-Range"));
    assertEquals(0, part.body().length);
  }

  @Test
  void notModifiedRepeatsValidatorsAndHasNoBody() throws Exception {
    HttpResponse<byte[]> response = send("GET", "/mem", "If-None-Match", "\"mem\"");
    assertEquals(304, response.statusCode());
    assertEquals("W/\"mem\"", header(response, "ETag"));
    assertNotNull(header(response, "Last-Modified"));
    assertEquals(0, response.body().length);
    assertFalse(response.headers().firstValue("Content-Range").isPresent());
  }

  @Test
  void weakEtagNeverSatisfiesIfRange() throws Exception {
    HttpResponse<byte[]> response = send("GET", "/mem", "Range", "bytes=0-1", "If-Range", "W/\"mem\"");
    assertEquals(200, response.statusCode());
    assertArrayEquals(BYTES, response.body());
  }

  @Test
  void unsatisfiableRangeAndFailedIfMatch() throws Exception {
    HttpResponse<byte[]> unsatisfiable = send("GET", "/mem", "Range", "bytes=20-");
    assertEquals(416, unsatisfiable.statusCode());
    assertEquals("bytes */20", header(unsatisfiable, "Content-Range"));
    assertEquals(0, unsatisfiable.body().length);
    assertEquals(412, send("GET", "/disk", "If-Match", "\"other\"").statusCode());
  }

  @Test
  void aFileThatVanishedBeforeSendingIsNotFoundWithoutItsValidators() throws Exception {
    HttpResponse<byte[]> response = send("GET", "/missing");
    assertEquals(404, response.statusCode());
    assertFalse(response.headers().firstValue("ETag").isPresent());
    // The connection stays usable after the clean error.
    assertEquals(200, send("GET", "/disk").statusCode());
  }
}
