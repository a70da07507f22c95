package dev.swarmcdn.edge.access;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * Where every request enters: methods other than GET, HEAD and OPTIONS are refused (405), CORS
 * preflights are answered here, and paths that try to climb out of the tree are refused (400) before
 * anything is looked up or forwarded.
 */
public final class RequestRules implements Handler<RoutingContext> {

  @Override
  public void handle(RoutingContext ctx) {
    HttpMethod method = ctx.request().method();
    if (method == HttpMethod.OPTIONS) {
      ctx.response().setStatusCode(204)
          .putHeader("Access-Control-Allow-Origin", "*")
          .putHeader("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
          .putHeader("Access-Control-Allow-Headers", "Range, If-None-Match, If-Modified-Since, Authorization")
          .putHeader("Access-Control-Max-Age", "86400")
          .end();
      return;
    }
    if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
      ctx.response().setStatusCode(405).putHeader("Allow", "GET, HEAD, OPTIONS")
          .putHeader("Content-Type", "text/plain; charset=utf-8").end("method not allowed\n");
      return;
    }
    if (climbsOut(ctx.request().path())) {
      ctx.response().setStatusCode(400).putHeader("Content-Type", "text/plain; charset=utf-8")
          .end("bad path\n");
      return;
    }
    ctx.next();
  }

  /** Dot-segments, also percent-encoded, backslashes and NUL never reach an upstream. */
  static boolean climbsOut(String rawPath) {
    if (rawPath == null || !rawPath.startsWith("/")) {
      return true;
    }
    String lower = rawPath.toLowerCase();
    if (lower.contains("%2e") || lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00")
        || rawPath.indexOf('\\') >= 0 || rawPath.indexOf('\0') >= 0) {
      return true;
    }
    for (String segment : rawPath.split("/")) {
      if (segment.equals("..") || segment.equals(".")) {
        return true;
      }
    }
    return false;
  }
}
