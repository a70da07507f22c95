package dev.swarmcdn.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.edge.EdgeClient.Response;
import dev.swarmcdn.edge.forwarding.upstream.UpstreamTimeouts;
import dev.swarmcdn.protocol.access.AccessToken;
import io.vertx.core.http.HttpMethod;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A browser player on another origin must be able to read every answer of the edge, its own
 * refusals and errors included, and the headers it needs from them.
 */
class EdgeCorsTest {

  private static final String SECRET = "s3cret";

  private TestOrigin origin;
  private RunningEdge running;
  private EdgeClient client;
  private String token;

  @BeforeEach
  void start() throws Exception {
    origin = new TestOrigin();
    origin.put("/live/seg.m4s", "segment".getBytes(), 0, "Cache-Control", "max-age=600");
    origin.put("/live/own.m4s", "own".getBytes(), 0, "Cache-Control", "max-age=600",
        "Access-Control-Allow-Origin", "https://player.example", "Access-Control-Expose-Headers", "etag, X-Origin-Only");
    origin.put("/live/slow.m4s", "late".getBytes(), 3_000, "Cache-Control", "max-age=600");
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    running = RunningEdge.start(EdgeConfig.builder(origin.url()).port(0).accessSecret(SECRET)
        .routes(List.of(origin.url(), "/down/=http://127.0.0.1:" + closedPort))
        .timeouts(new UpstreamTimeouts(Duration.ofSeconds(1), Duration.ofMillis(300), Duration.ofSeconds(1)))
        .build());
    client = running.client();
    token = "?token=" + new AccessToken("/", System.currentTimeMillis() / 1000 + 3600)
        .sign(SECRET.getBytes(StandardCharsets.UTF_8));
  }

  @AfterEach
  void stop() throws Exception {
    running.close();
    origin.close();
  }

  private static List<String> exposed(Response response) {
    String value = response.header("Access-Control-Expose-Headers");
    return value == null ? List.of()
        : Arrays.stream(value.split(",")).map(name -> name.trim().toLowerCase(Locale.ROOT)).toList();
  }

  private static void assertReadable(Response response, int status) {
    assertEquals(status, response.status());
    assertEquals("*", response.header("Access-Control-Allow-Origin"), "status " + status);
    assertTrue(exposed(response).containsAll(List.of("content-length", "content-range", "etag", "age",
        "x-cache", "x-access-refused")), "status " + status + " exposes " + exposed(response));
  }

  @Test
  void theEdgesOwnRefusalsAndErrorsCarryCors() throws Exception {
    Response refused = client.get("/live/seg.m4s");
    assertReadable(refused, 403);
    assertEquals("missing", refused.header("X-Access-Refused"));
    assertReadable(client.send(HttpMethod.POST, "/live/seg.m4s").toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS), 405);
    assertReadable(client.get("/live/%2e%2e/seg.m4s"), 400);
    assertReadable(client.get("/down/seg.m4s" + token), 502);
    assertReadable(client.get("/live/slow.m4s" + token), 504);
  }

  @Test
  void servedObjectsExposeHitOrMissAndKeepWhatTheUpstreamSaid() throws Exception {
    Response miss = client.get("/live/seg.m4s" + token);
    assertReadable(miss, 200);
    assertEquals("MISS", miss.header("X-Cache"));
    Response hit = client.get("/live/seg.m4s" + token, "Range", "bytes=0-2");
    assertReadable(hit, 206);
    assertEquals("HIT", hit.header("X-Cache"));

    client.get("/live/own.m4s" + token);
    Response own = client.get("/live/own.m4s" + token);
    assertEquals("https://player.example", own.header("Access-Control-Allow-Origin"), "the upstream's choice stands");
    assertEquals("etag, X-Origin-Only, Content-Length, Content-Range, Last-Modified, Age, Date, X-Cache, X-Access-Refused",
        own.header("Access-Control-Expose-Headers"), "the upstream's names, then the edge's it lacks");
  }

  @Test
  void preflightsAreAnsweredWithoutAToken() throws Exception {
    Response preflight = client.send(HttpMethod.OPTIONS, "/live/seg.m4s", "Origin", "https://player.example",
        "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "range")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(204, preflight.status());
    assertEquals("*", preflight.header("Access-Control-Allow-Origin"));
    assertTrue(preflight.header("Access-Control-Allow-Headers").contains("Range"));
  }
}
