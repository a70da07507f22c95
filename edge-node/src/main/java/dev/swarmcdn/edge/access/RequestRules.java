package dev.swarmcdn.edge.access;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * Where every request enters (after {@link CorsHeaders}): methods other than GET, HEAD and OPTIONS
 * are refused (405), CORS preflights are answered here, and paths that try to climb out of the tree
 * are refused (400) before anything is looked up or forwarded.
 */
public final class RequestRules implements Handler<RoutingContext> {

  @Override
  public void handle(RoutingContext ctx) {
    HttpMethod method = ctx.request().method();
    if (method == HttpMethod.OPTIONS) {
      // CorsHeaders adds the allowed origin, as to every response.
      ctx.response().setStatusCode(204)
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
    if (rawPath == null || rawPath.isEmpty() || rawPath.charAt(0) != '/') {
      return true;
    }
    // One pass, no allocation: this runs on every request.
    int length = rawPath.length();
    for (int i = 0; i < length; i++) {
      char c = rawPath.charAt(i);
      if (c == '\\' || c == '\0') {
        return true;
      }
      if (c == '%' && i + 2 < length && encodesSeparatorOrDot(rawPath.charAt(i + 1), rawPath.charAt(i + 2))) {
        return true;
      }
      if (c == '.' && rawPath.charAt(i - 1) == '/' && isDotSegment(rawPath, i)) {
        return true;
      }
    }
    return false;
  }

  /** {@code %2e} (dot), {@code %2f} (slash), {@code %5c} (backslash), {@code %00}, any case. */
  private static boolean encodesSeparatorOrDot(char high, char low) {
    char l = Character.toLowerCase(low);
    return (high == '2' && (l == 'e' || l == 'f')) || (high == '5' && l == 'c') || (high == '0' && l == '0');
  }

  /** A segment that is exactly "." or "..", starting at {@code dot}. */
  private static boolean isDotSegment(String path, int dot) {
    int end = dot + 1;
    if (end < path.length() && path.charAt(end) == '.') {
      end++;
    }
    return end == path.length() || path.charAt(end) == '/';
  }
}
