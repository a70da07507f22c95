package dev.swarmcdn.origin.live;

import dev.swarmcdn.kit.http.RepresentationResponder;
import dev.swarmcdn.origin.OriginConfig;
import dev.swarmcdn.origin.integrity.IntegrityKeys;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Runs the configured live streams (one supervised ffmpeg packager each) and serves them under
 * {@code /live/NAME/}.
 *
 * <p>TODO(origin issue): implementation.
 */
public final class LiveService implements Handler<RoutingContext> {

  public LiveService(Vertx vertx, OriginConfig config, MeterRegistry registry,
      RepresentationResponder responder, IntegrityKeys keys) {}

  public Future<Void> start() {
    return Future.succeededFuture();
  }

  public Future<Void> stop() {
    return Future.succeededFuture();
  }

  /** Ready when every live stream has published a full window. */
  public boolean ready() {
    return true;
  }

  public JsonObject status() {
    return new JsonObject();
  }

  @Override
  public void handle(RoutingContext ctx) {
    ctx.response().setStatusCode(404).end();
  }
}
