package dev.swarmcdn.kit.ops;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The three operational endpoints every server exposes: {@code /health} (the process is alive and
 * its event loop answers), {@code /ready} (it can do its job: 503 with the reason until then) and
 * {@code /metrics} (Prometheus text format).
 */
public final class OpsRoutes {

  private OpsRoutes() {}

  /**
   * @param readiness says whether the server can serve; {@code detail} explains the answer
   */
  public static void mount(Router router, Observability observability, BooleanSupplier readiness,
      Supplier<JsonObject> detail) {
    // HEAD too: load balancers probe with it. Vert.x sends a HEAD answer's headers only.
    router.route("/health").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(ctx -> ctx.response()
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(new JsonObject().put("status", "UP").encode()));
    router.route("/ready").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(ctx -> {
      boolean ready = readiness.getAsBoolean();
      JsonObject body = new JsonObject().put("status", ready ? "READY" : "NOT_READY");
      body.mergeIn(detail.get());
      ctx.response()
          .setStatusCode(ready ? 200 : 503)
          .putHeader("Content-Type", "application/json")
          .putHeader("Cache-Control", "no-store")
          .end(body.encode());
    });
    router.route("/metrics").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(ctx -> ctx.vertx()
        // Scraping walks every meter: keep it off the event loop.
        .executeBlocking(observability::scrape)
        .onSuccess(text -> ctx.response()
            .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
            .putHeader("Cache-Control", "no-store")
            .end(text))
        .onFailure(ctx::fail));
  }
}
