package dev.swarmcdn.edge.access;

import dev.swarmcdn.edge.forwarding.cache.TieredCache;
import dev.swarmcdn.kit.http.BearerAuth;
import dev.swarmcdn.kit.http.JsonReply;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /_edge/purge?path=/exact/path} or {@code ?prefix=/live/demo/}: drops matching objects
 * from memory and disk (every query variant of a path). Needs the admin token; 401 without it, 404 when
 * the operator configured none.
 */
public final class PurgeEndpoint implements Handler<RoutingContext> {

  public static final String PATH = "/_edge/purge";

  private final BearerAuth auth;
  private final TieredCache cache;

  public PurgeEndpoint(BearerAuth auth, TieredCache cache) {
    this.auth = auth;
    this.cache = cache;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (!auth.enabled()) {
      JsonReply.send(ctx, 404, new JsonObject().put("error", "the admin API is disabled"));
      return;
    }
    if (!auth.allows(ctx.request())) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
      JsonReply.send(ctx, 401, new JsonObject().put("error", "admin token required"));
      return;
    }
    String path = ctx.request().getParam("path");
    String prefix = ctx.request().getParam("prefix");
    if ((path == null) == (prefix == null) || !(path != null ? path : prefix).startsWith("/")) {
      JsonReply.send(ctx, 400, new JsonObject().put("error", "give exactly one of path=/... or prefix=/..."));
      return;
    }
    int purged = path != null
        ? cache.invalidateIf(key -> key.path().equals(path))
        : cache.invalidateIf(key -> key.path().startsWith(prefix));
    JsonReply.send(ctx, 200, new JsonObject().put("purged", purged));
  }
}
