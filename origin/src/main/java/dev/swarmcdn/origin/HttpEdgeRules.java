package dev.swarmcdn.origin;

import dev.swarmcdn.kit.http.HttpDates;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * First handler of every request: refuses methods other than GET, HEAD and OPTIONS (405 with Allow),
 * answers OPTIONS as a CORS preflight, and adds the CORS headers a player on another origin needs.
 *
 * <p>The origin only publishes: everything it serves is public, so {@code *} is the right allowed
 * origin and no credentials are ever involved.
 */
final class HttpEdgeRules implements Handler<RoutingContext> {

  static final String ALLOW = "GET, HEAD, OPTIONS";
  private static final Set<HttpMethod> ALLOWED = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
  private static final String ALLOW_HEADERS =
      "Range, If-None-Match, If-Modified-Since, Authorization, Content-Type";
  /** What a player's script may read: lengths and ranges for progress, validators and age for caching. */
  private static final String EXPOSE_HEADERS = "Content-Length, Content-Range, ETag, Last-Modified, Age, Date";
  /** Browsers cap this anyway (Chromium at 2 h); a day avoids a preflight per segment elsewhere. */
  private static final String PREFLIGHT_MAX_AGE = "86400";

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    putCommonHeaders(response);
    HttpMethod method = ctx.request().method();
    if (!ALLOWED.contains(method)) {
      response.setStatusCode(405)
          .putHeader("Allow", ALLOW)
          .putHeader("Content-Type", "text/plain; charset=utf-8")
          .end("method not allowed\n");
    } else if (method == HttpMethod.OPTIONS) {
      response.setStatusCode(204)
          .putHeader("Allow", ALLOW)
          .putHeader("Access-Control-Allow-Methods", ALLOW)
          .putHeader("Access-Control-Allow-Headers", ALLOW_HEADERS)
          .putHeader("Access-Control-Max-Age", PREFLIGHT_MAX_AGE)
          .end();
    } else {
      ctx.next();
    }
  }

  /**
   * CORS headers, and Date, which RFC 9110 wants on every 2xx-4xx answer of an origin with a clock.
   * Also used by the failure handler, which starts from a cleared response.
   */
  static void putCommonHeaders(HttpServerResponse response) {
    response.putHeader("Date", HttpDates.format(System.currentTimeMillis()))
        .putHeader("Access-Control-Allow-Origin", "*")
        .putHeader("Access-Control-Expose-Headers", EXPOSE_HEADERS);
  }
}
