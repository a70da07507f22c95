package dev.swarmcdn.edge;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.swarmcdn.edge.EdgeClient.Response;
import dev.swarmcdn.edge.forwarding.upstream.UpstreamTimeouts;
import dev.swarmcdn.edge.testing.MovableClock;
import io.vertx.core.http.HttpMethod;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** WireMock plays an origin that fails in every way a network and a server can. */
class EdgeFaultyOriginTest {

  private WireMockServer faulty;
  private RunningEdge running;
  private EdgeClient client;
  /** Moved past a max-age instead of waiting it out. */
  private final MovableClock clock = new MovableClock();

  @BeforeEach
  void start() throws Exception {
    faulty = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    faulty.start();
    // WireMock's first request loads and compiles its matching; on a busy machine that alone took
    // more than the edge's 500 ms first-byte timeout below, which is the edge's to measure.
    HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url() + "/warm-up")).build(),
        HttpResponse.BodyHandlers.discarding());
  }

  private void startEdge(List<String> routes) throws Exception {
    EdgeConfig.Builder builder = EdgeConfig.builder(routes.get(0)).port(0).clock(clock)
        .timeouts(new UpstreamTimeouts(Duration.ofSeconds(1), Duration.ofMillis(500), Duration.ofSeconds(1)));
    EdgeConfig config = routes.size() == 1 ? builder.build() : builder.routes(routes).build();
    running = RunningEdge.start(config);
    client = running.client();
  }

  @AfterEach
  void stop() throws Exception {
    if (running != null) {
      running.close();
    }
    faulty.stop();
  }

  private String url() {
    return "http://127.0.0.1:" + faulty.port();
  }

  @Test
  void connectionResetAndEmptyResponseGiveA502AndAreNotCached() throws Exception {
    faulty.stubFor(get("/reset.m4s").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    faulty.stubFor(get("/empty.m4s").willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)));
    faulty.stubFor(get("/garbage.m4s").willReturn(aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE)));
    startEdge(List.of(url()));
    for (String path : List.of("/reset.m4s", "/empty.m4s", "/garbage.m4s")) {
      assertEquals(502, client.get(path).status(), path);
    }
    assertEquals(200, client.get("/health").status(), "the edge keeps serving");
  }

  @Test
  void aBrokenChunkedBodyNeverArrivesAsComplete() throws Exception {
    faulty.stubFor(get("/chunks.m4s").willReturn(aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK)));
    startEdge(List.of(url()));
    for (int attempt = 1; attempt <= 2; attempt++) {
      Throwable failure = client.send(HttpMethod.GET, "/chunks.m4s").toCompletionStage().toCompletableFuture()
          .handle((ok, error) -> ok != null && ok.status() == 200 ? null : new AssertionError("refused"))
          .get(10, TimeUnit.SECONDS);
      assertTrue(failure != null, "a broken body must not be passed as a whole 200");
    }
    faulty.verify(2, getRequestedFor(urlEqualTo("/chunks.m4s")));
  }

  @Test
  void aSlowOriginGivesA504WithinTheFirstByteTimeout() throws Exception {
    faulty.stubFor(get("/slow.m4s").willReturn(aResponse().withStatus(200).withBody("late").withFixedDelay(3_000)));
    startEdge(List.of(url()));
    long started = System.nanoTime();
    assertEquals(504, client.get("/slow.m4s").status());
    assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(3), "answered before the origin");
  }

  @Test
  void a5xxIsPassedOnAndNotStoredButAStaleCopyIsServedInstead() throws Exception {
    faulty.stubFor(get("/p.m3u8").willReturn(aResponse().withStatus(200)
        .withHeader("Cache-Control", "max-age=1, stale-if-error=60").withHeader("ETag", "\"1\"").withBody("#EXTM3U\n")));
    faulty.stubFor(get("/down.m3u8").willReturn(aResponse().withStatus(503).withBody("busy")));
    startEdge(List.of(url()));
    assertEquals("#EXTM3U\n", new String(client.get("/p.m3u8").body()));
    faulty.stubFor(get("/p.m3u8").willReturn(aResponse().withStatus(500).withBody("boom")));
    clock.advance(Duration.ofSeconds(2));
    Response stale = client.get("/p.m3u8");
    assertEquals("STALE", stale.header("X-Cache"));
    assertEquals(200, stale.status());
    assertEquals("#EXTM3U\n", new String(stale.body()));

    assertEquals(503, client.get("/down.m3u8").status());
    assertEquals(503, client.get("/down.m3u8").status());
    faulty.verify(2, getRequestedFor(urlEqualTo("/down.m3u8")));
  }

  @Test
  void aFailingUpstreamIsRetriedOnTheNextAndSkippedOnceItsBreakerOpens() throws Exception {
    TestOrigin healthy = new TestOrigin();
    try {
      faulty.stubFor(get(com.github.tomakehurst.wiremock.client.WireMock.anyUrl())
          .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
      for (int i = 0; i < 12; i++) {
        healthy.put("/r/" + i + ".m4s", ("object " + i).getBytes(), 0, "Cache-Control", "max-age=60");
      }
      startEdge(List.of("/=" + url() + "|" + healthy.url()));
      for (int i = 0; i < 12; i++) {
        Response answer = client.get("/r/" + i + ".m4s");
        assertEquals(200, answer.status());
        assertArrayEquals(("object " + i).getBytes(), answer.body());
      }
      int reachedFaulty = faulty.getAllServeEvents().size();
      assertTrue(reachedFaulty >= 5 && reachedFaulty < 12,
          "the breaker opened after a run of failures: " + reachedFaulty + " of 12 tried the faulty upstream");
    } finally {
      healthy.close();
    }
  }

  @Test
  void aBodyLongerThanItsContentLengthIsNeverCachedNorPassedAsComplete() throws Exception {
    faulty.stubFor(get("/long.m4s").willReturn(aResponse().withStatus(200).withHeader("Cache-Control", "max-age=600")
        .withHeader("Content-Length", "5").withBody("0123456789abcdef")));
    assertNeverServedWhole("/long.m4s", "01234");
  }

  @Test
  void aBodyShorterThanItsContentLengthIsNeverCachedNorPassedAsComplete() throws Exception {
    faulty.stubFor(get("/short.m4s").willReturn(aResponse().withStatus(200).withHeader("Cache-Control", "max-age=600")
        .withHeader("Content-Length", "100").withBody("0123456789abcdef")));
    assertNeverServedWhole("/short.m4s", "0123456789abcdef");
  }

  /**
   * Asks three times: every answer breaks off (its 200 head was on its way) or is a 5xx, never a
   * complete response, and every ask reaches the origin (nothing was stored).
   */
  private void assertNeverServedWhole(String path, String framed) throws Exception {
    warmUp();
    startEdge(List.of(url()));
    for (int attempt = 1; attempt <= 3; attempt++) {
      String outcome = client.send(HttpMethod.GET, path).toCompletionStage().toCompletableFuture()
          .handle((ok, error) -> ok == null ? "broken off" : ok.status() + " " + new String(ok.body()))
          .get(10, TimeUnit.SECONDS);
      assertTrue(outcome.equals("broken off") || outcome.startsWith("5"),
          "attempt " + attempt + " must break off or fail, got " + outcome + " (the origin framed " + framed + ")");
    }
    faulty.verify(3, getRequestedFor(urlEqualTo(path)));
    assertEquals(200, client.get("/health").status(), "the edge keeps serving");
  }

  /** WireMock's first answer after start can take longer than the first-byte timeout here. */
  private void warmUp() throws Exception {
    java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(url() + "/__admin/health")).build(),
        java.net.http.HttpResponse.BodyHandlers.discarding());
  }
}
