package dev.swarmcdn.kit.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpsRoutesTest {

  private final AtomicBoolean ready = new AtomicBoolean();
  private Vertx vertx;
  private HttpServer server;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeEach
  void start() throws Exception {
    Observability observability = Observability.create();
    vertx = observability.newVertx(new VertxOptions());
    Router router = Router.router(vertx);
    OpsRoutes.mount(router, observability, ready::get, () -> new JsonObject().put("streams", 1));
    router.get("/hello").handler(ctx -> ctx.response().end("hi"));
    HttpServerMeters meters = observability.newHttpServerMeters();
    router.route().order(-1).handler(meters);
    server = vertx.createHttpServer(new HttpServerOptions().setMaxInitialLineLength(256))
        .requestHandler(router).invalidRequestHandler(meters.invalidRequests()).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthIsUpAndReadinessFollowsTheServer() throws Exception {
    assertEquals(200, get("/health").statusCode());
    HttpResponse<String> notReady = get("/ready");
    assertEquals(503, notReady.statusCode());
    assertEquals("NOT_READY", new JsonObject(notReady.body()).getString("status"));
    assertEquals(1, new JsonObject(notReady.body()).getInteger("streams"));
    ready.set(true);
    assertEquals(200, get("/ready").statusCode());
  }

  @Test
  void theOperationalEndpointsAnswerHeadAsLoadBalancersProbeThem() throws Exception {
    ready.set(true);
    for (String path : new String[] {"/health", "/ready", "/metrics"}) {
      HttpResponse<String> head = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + server.actualPort() + path)).method("HEAD", HttpRequest.BodyPublishers.noBody())
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, head.statusCode(), path);
      assertEquals("", head.body(), path);
    }
  }

  @Test
  void metricsAreInPrometheusFormatWithLatencyHistograms() throws Exception {
    assertEquals(200, get("/hello").statusCode());
    assertEquals(404, get("/nothing-here").statusCode());
    assertEquals(414, get("/" + "x".repeat(300)).statusCode());
    HttpResponse<String> metrics = get("/metrics");
    assertEquals(200, metrics.statusCode());
    assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
    assertTrue(metrics.body().contains(
        "http_server_requests_seconds_count{method=\"GET\",status=\"2xx\"} 1"), "request counts");
    assertTrue(metrics.body().contains(
        "http_server_requests_seconds_count{method=\"GET\",status=\"4xx\"} 1"), "status classes");
    assertTrue(metrics.body().contains("http_server_requests_seconds_bucket"), "latency histogram");
    assertTrue(metrics.body().contains("http_server_responses_total{code=\"404\"} 1"), "exact codes");
    assertTrue(metrics.body().contains("http_server_responses_total{code=\"414\"} 1"),
        "a request Vert.x refused before routing is counted too");
    assertTrue(metrics.body().contains("http_server_sent_bytes_total"), "bytes written");
    assertTrue(metrics.body().contains("jvm_memory_used_bytes"), "JVM meters");
  }
}
