package dev.swarmcdn.edge.security;

import io.vertx.ext.web.RoutingContext;

/**
 * The path a request is served for. Usually the request's own; a layer that rewrites it (the token
 * gate strips {@code /~t/TOKEN}) records the result here, so the layers after it agree.
 */
public final class RequestPath {

  private static final String KEY = "swarmcdn.path";

  private RequestPath() {}

  public static String of(RoutingContext ctx) {
    String rewritten = ctx.get(KEY);
    return rewritten != null ? rewritten : ctx.request().path();
  }

  public static void rewrite(RoutingContext ctx, String path) {
    ctx.put(KEY, path);
  }
}
