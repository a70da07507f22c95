package dev.swarmcdn.kit.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Answers of JSON APIs (admin, registry, routing): never stored by a cache. */
public final class JsonReply {

  private JsonReply() {}

  public static void send(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(body.encode());
  }

  /** {@code {"error": code, "message": message}}: a code for programs, a sentence for people. */
  public static void error(RoutingContext ctx, int status, String code, String message) {
    send(ctx, status, new JsonObject().put("error", code).put("message", message));
  }
}
