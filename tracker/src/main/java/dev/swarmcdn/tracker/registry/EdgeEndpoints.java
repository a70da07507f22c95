package dev.swarmcdn.tracker.registry;

import dev.swarmcdn.kit.http.JsonReply;
import dev.swarmcdn.protocol.registry.EdgeLoad;
import dev.swarmcdn.protocol.registry.EdgeRegistration;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * The edge registry over HTTP: {@code POST /edges} registers, {@code PUT /edges/ID/heartbeat}
 * reports load, {@code DELETE /edges/ID} deregisters, {@code GET /edges} lists every edge with its
 * state. Every one of them needs the tracker's edge secret as a bearer token, unless the registry
 * was opened on purpose; without either, nobody can use them.
 *
 * <p>Answers to registrations and heartbeats carry the edges in rotation, so an edge learns the set
 * it shares its cache with from the tracker, and the expiry, so it can tell whether its heartbeats
 * come often enough.
 */
public final class EdgeEndpoints {

  public static final String PATH = "/edges";
  /**
   * Bodies are a few small fields and a bounded ICE server list (at most about 13 KB however full);
   * anything larger is refused unread (413).
   */
  public static final int MAX_BODY_BYTES = 16 * 1024;

  private final EdgeRegistry registry;
  private final EdgeCredentials credentials;
  private final long expiryMillis;

  private EdgeEndpoints(EdgeRegistry registry, EdgeCredentials credentials, Duration expiry) {
    this.registry = registry;
    this.credentials = credentials;
    this.expiryMillis = expiry.toMillis();
  }

  /** @param credentials the edge secret, or an open registry (trusted networks only) */
  public static void mount(Router router, EdgeRegistry registry, EdgeCredentials credentials, Duration expiry) {
    EdgeEndpoints endpoints = new EdgeEndpoints(registry, credentials, expiry);
    Handler<RoutingContext> body = BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES);
    // Before any body is read: an unauthorised request is refused unread.
    router.routeWithRegex("^" + PATH + "(/.*)?$").handler(endpoints::authorise).failureHandler(EdgeEndpoints::failed);
    router.post(PATH).handler(body).handler(endpoints::register);
    router.put(PATH + "/:id/heartbeat").handler(body).handler(endpoints::heartbeat);
    router.post(PATH + "/:id/heartbeat").handler(body).handler(endpoints::heartbeat);
    router.delete(PATH + "/:id").handler(endpoints::deregister);
    router.get(PATH).handler(endpoints::list);
  }

  private void authorise(RoutingContext ctx) {
    // Closed unless opened on purpose: an edge in rotation is sent other edges' misses and viewers.
    if (!credentials.trust(ctx.request()).edge()) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
      JsonReply.error(ctx, 401, "unauthorized", credentials.hasSecret()
          ? "the edge registry needs the edge secret as a bearer token"
          : "the edge registry is closed: this tracker has no edge secret");
      return;
    }
    ctx.next();
  }

  private void register(RoutingContext ctx) {
    EdgeRegistration registration = read(ctx, EdgeJson::registration);
    if (registration == null) {
      return;
    }
    registry.register(registration)
        .compose(entry -> withMembers(entry))
        .onSuccess(answer -> JsonReply.send(ctx, 200, answer))
        .onFailure(failure -> {
          if (failure instanceof EdgeRegistry.RegistryFullException) {
            JsonReply.error(ctx, 503, "registry_full", failure.getMessage());
          } else {
            ctx.fail(failure);
          }
        });
  }

  private void heartbeat(RoutingContext ctx) {
    EdgeLoad load = read(ctx, EdgeJson::load);
    if (load == null) {
      return;
    }
    String id = ctx.pathParam("id");
    registry.heartbeat(id, load)
        .compose(entry -> entry.isPresent() ? withMembers(entry.get()) : Future.succeededFuture(null))
        .onSuccess(answer -> {
          if (answer == null) {
            unknown(ctx, id);
          } else {
            JsonReply.send(ctx, 200, answer);
          }
        })
        .onFailure(ctx::fail);
  }

  private void deregister(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    registry.deregister(id)
        .onSuccess(removed -> {
          if (removed) {
            ctx.response().setStatusCode(204).end();
          } else {
            unknown(ctx, id);
          }
        })
        .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    registry.edges()
        .onSuccess(edges -> {
          JsonArray all = new JsonArray();
          edges.forEach(entry -> all.add(EdgeJson.entry(entry)));
          JsonReply.send(ctx, 200, new JsonObject().put("expiryMs", expiryMillis).put("edges", all));
        })
        .onFailure(ctx::fail);
  }

  /** The answer to a registration or heartbeat: the edge as registered, the expiry, the edges in rotation. */
  private Future<JsonObject> withMembers(EdgeEntry entry) {
    return registry.healthy().map((List<EdgeEntry> healthy) -> EdgeJson.answer(entry, expiryMillis, healthy));
  }

  /** The body as {@code reader} reads it, or null once refused with 400 and the reason. */
  private static <T> T read(RoutingContext ctx, Function<Buffer, T> reader) {
    try {
      return reader.apply(ctx.body().buffer());
    } catch (IllegalArgumentException e) {
      JsonReply.error(ctx, 400, "bad_request", e.getMessage());
      return null;
    }
  }

  private static void unknown(RoutingContext ctx, String id) {
    JsonReply.error(ctx, 404, "unknown_edge", "no edge " + id + " is registered; register it again");
  }

  /** The body handler's refusals (413) and unexpected failures, as JSON. */
  private static void failed(RoutingContext ctx) {
    if (ctx.statusCode() == 413) {
      JsonReply.error(ctx, 413, "too_large", "bodies of the edge registry hold at most " + MAX_BODY_BYTES + " bytes");
    } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
      JsonReply.error(ctx, ctx.statusCode(), "bad_request", "the request cannot be read");
    } else {
      JsonReply.error(ctx, 500, "internal", "the registry failed: " + ctx.failure());
    }
  }
}
