package dev.swarmcdn.origin;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * First handler of every request: refuses methods other than GET, HEAD and OPTIONS (405 with Allow),
 * answers CORS preflights, and adds the CORS headers a player on another origin needs.
 *
 * <p>TODO(origin issue): full implementation.
 */
final class HttpEdgeRules implements Handler<RoutingContext> {
  @Override
  public void handle(RoutingContext ctx) {
    ctx.response().putHeader("Access-Control-Allow-Origin", "*");
    ctx.next();
  }
}
