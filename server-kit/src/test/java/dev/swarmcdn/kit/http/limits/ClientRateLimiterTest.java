package dev.swarmcdn.kit.http.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.kit.ops.Observability;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class ClientRateLimiterTest {

  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  private ClientRateLimiter limiter(RateLimit limit) {
    return new ClientRateLimiter(limit, ClientRateLimiter.REMOTE_ADDRESS, ClientRateLimiter.TEXT,
        new SimpleMeterRegistry(), "test", 1000, now::get);
  }

  @Test
  void aBurstIsServedThenTheRefillRateWithRetryAfterUntilTheNextToken() {
    ClientRateLimiter limiter = limiter(new RateLimit(2, 3));
    for (int i = 0; i < 3; i++) {
      assertEquals(0, limiter.take("a"));
    }
    assertEquals(1, limiter.take("a"));
    assertEquals(0, limiter.take("b"), "another client has a bucket of its own");
    now.addAndGet(500_000_000L);
    assertEquals(0, limiter.take("a"), "half a second at 2/s is one token");
    assertEquals(1, limiter.take("a"));
  }

  @Test
  void retryAfterCountsWholeSecondsToTheNextToken() {
    ClientRateLimiter limiter = limiter(new RateLimit(0.25, 1));
    assertEquals(0, limiter.take("a"));
    assertEquals(4, limiter.take("a"));
  }

  @Test
  void aBucketNeverHoldsMoreThanTheBurst() {
    ClientRateLimiter limiter = limiter(new RateLimit(10, 2));
    now.addAndGet(3_600_000_000_000L);
    assertEquals(0, limiter.take("a"));
    assertEquals(0, limiter.take("a"));
    assertEquals(1, limiter.take("a"));
  }

  @Test
  void negativeValuesAreRefusedByFlagName() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new RateLimit(-1, 10)).getMessage()
        .contains("--rate-limit-per-second"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new RateLimit(5, -1)).getMessage()
        .contains("--rate-limit-burst"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new RateLimit(5, 0)).getMessage()
        .contains("--rate-limit-burst"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new RateLimit(Double.NaN, 1)).getMessage()
        .contains("--rate-limit-per-second"));
    assertFalse(new RateLimit(0, 0).enabled());
  }

  @Test
  void overHttpTheLimitedClientGets429AndOpsEndpointsAreNeverLimited() throws Exception {
    Assumptions.assumeTrue(FromAddress.canBind("127.0.0.2"), "needs 127.0.0.2 as a client address");
    Observability observability = Observability.create();
    Vertx vertx = Vertx.vertx();
    try {
      Router router = Router.router(vertx);
      ClientRateLimiter limiter = new ClientRateLimiter(new RateLimit(0.001, 2), ClientRateLimiter.REMOTE_ADDRESS,
          ClientRateLimiter.TEXT, observability.registry(), "test");
      router.route().handler(limiter);
      dev.swarmcdn.kit.ops.OpsRoutes.mount(router, observability, () -> true, JsonObject::new);
      router.get("/hello").handler(ctx -> ctx.response().end("hi"));
      HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      int port = server.actualPort();
      assertEquals(200, FromAddress.get("127.0.0.1", port, "/hello").status());
      assertEquals(200, FromAddress.get("127.0.0.1", port, "/hello").status());
      FromAddress.Answer refused = FromAddress.get("127.0.0.1", port, "/hello");
      assertEquals(429, refused.status());
      assertEquals("no-store", refused.header("Cache-Control"));
      assertTrue(Long.parseLong(refused.header("Retry-After")) >= 1);
      assertEquals(1.0, limiter.refusedCount());
      assertEquals(200, FromAddress.get("127.0.0.2", port, "/hello").status(), "another address is unaffected");
      for (String ops : ClientRateLimiter.EXEMPT) {
        for (int i = 0; i < 5; i++) {
          assertEquals(200, FromAddress.get("127.0.0.1", port, ops).status(), ops);
        }
      }
      assertTrue(observability.scrape().contains("http_server_rate_limited_requests_total{server=\"test\"} 1.0"));
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
