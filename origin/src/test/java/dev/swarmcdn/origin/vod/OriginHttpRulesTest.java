package dev.swarmcdn.origin.vod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.kit.http.framing.MalformedHeads;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Rules every origin answer follows: methods, CORS, request size limits, errors without traces. */
class OriginHttpRulesTest {

  private static final String PLAYLIST = "/vod/clip/index.m3u8";

  @TempDir
  static Path tempDir;

  private static RunningOrigin origin;

  @BeforeAll
  static void start() throws Exception {
    origin = RunningOrigin.start(tempDir, router -> router.get("/broken").handler(ctx -> {
      throw new IllegalStateException("internal detail that must not leak");
    }));
  }

  @AfterAll
  static void stop() throws Exception {
    origin.close();
  }

  private static String header(HttpResponse<?> response, String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  /** Request smuggling shapes, duplicate or missing Host, bad escapes: 400, closed, nothing after read. */
  @ParameterizedTest
  @FieldSource("dev.swarmcdn.kit.http.framing.MalformedHeads#HEADS")
  void malformedHeadsAreRefusedAndTheConnectionClosed(String head) throws Exception {
    MalformedHeads.assertRefused(origin.port(), head, PLAYLIST);
  }

  @Test
  void preflightIsAnsweredWithoutTouchingTheResource() throws Exception {
    HttpResponse<byte[]> response = origin.send("OPTIONS", "/vod/clip/does-not-exist.m4s",
        "Origin", "https://player.example", "Access-Control-Request-Method", "GET",
        "Access-Control-Request-Headers", "range");
    assertEquals(204, response.statusCode());
    assertEquals("*", header(response, "Access-Control-Allow-Origin"));
    assertEquals("GET, HEAD, OPTIONS", header(response, "Access-Control-Allow-Methods"));
    assertEquals("Range, If-None-Match, If-Modified-Since, Authorization, Content-Type",
        header(response, "Access-Control-Allow-Headers"));
    assertEquals("86400", header(response, "Access-Control-Max-Age"));
    assertEquals("GET, HEAD, OPTIONS", header(response, "Allow"));
    assertEquals(0, response.body().length);
  }

  @Test
  void simpleRequestsExposeWhatPlayersRead() throws Exception {
    HttpResponse<byte[]> response = origin.send("GET", PLAYLIST, "Origin", "https://player.example");
    assertEquals(200, response.statusCode());
    assertEquals("*", header(response, "Access-Control-Allow-Origin"));
    assertEquals("Content-Length, Content-Range, ETag, Last-Modified, Age, Date",
        header(response, "Access-Control-Expose-Headers"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"POST", "PUT", "DELETE", "PATCH", "TRACE"})
  void otherMethodsAreNotAllowed(String method) throws Exception {
    HttpResponse<byte[]> response = origin.send(method, PLAYLIST);
    assertEquals(405, response.statusCode());
    assertEquals("GET, HEAD, OPTIONS", header(response, "Allow"));
    assertEquals("*", header(response, "Access-Control-Allow-Origin"));
  }

  @Test
  void aFailingHandlerGivesAPlain500WithoutStackTrace() throws Exception {
    HttpResponse<byte[]> response = origin.send("GET", "/broken");
    assertEquals(500, response.statusCode());
    String body = new String(response.body(), StandardCharsets.UTF_8);
    assertEquals("Internal Server Error\n", body);
    assertTrue(header(response, "Content-Type").startsWith("text/plain"));
    assertEquals("*", header(response, "Access-Control-Allow-Origin"));
    assertEquals(200, origin.send("GET", PLAYLIST).statusCode());
  }

  /** Netty refuses oversized request lines and headers before routing; the server carries on. */
  @Test
  void hugeUrlIsRefusedWith414AndTheServerKeepsServing() throws Exception {
    RunningOrigin.RawResponse response = origin.rawGet("/vod/" + "a".repeat(9 * 1024));
    assertEquals(414, response.status(), response.head());
    assertFalse(response.body().contains("Exception"));
    assertEquals(200, origin.send("GET", PLAYLIST).statusCode());
  }

  @Test
  void hugeHeadersAreRefusedWith431AndTheServerKeepsServing() throws Exception {
    RunningOrigin.RawResponse response = origin.raw("GET " + PLAYLIST + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "X-Padding: " + "b".repeat(17 * 1024) + "\r\nConnection: close\r\n\r\n");
    assertEquals(431, response.status(), response.head());
    assertEquals(200, origin.send("GET", PLAYLIST).statusCode());
  }

  @Test
  void urlAndHeadersJustUnderTheLimitsAreServed() throws Exception {
    String longQuery = "?token=" + "c".repeat(7 * 1024);
    assertEquals(200, origin.send("GET", PLAYLIST + longQuery).statusCode());
    assertEquals(200, origin.send("GET", PLAYLIST, "X-Padding", "d".repeat(15 * 1024)).statusCode());
  }

  @Test
  void aClientOfferingCleartextHttp2GetsHttp11AndHeadStaysWithoutBody() throws Exception {
    // Java's client asks to upgrade to h2c on its first request: the origin stays on HTTP/1.1.
    HttpClient http2 = HttpClient.newHttpClient();
    HttpResponse<byte[]> head = http2.send(HttpRequest.newBuilder(origin.uri(PLAYLIST))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, head.statusCode());
    assertEquals(HttpClient.Version.HTTP_1_1, head.version());
    assertEquals(0, head.body().length);
  }
}
