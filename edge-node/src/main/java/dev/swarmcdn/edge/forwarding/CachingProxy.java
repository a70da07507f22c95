package dev.swarmcdn.edge.forwarding;

import dev.swarmcdn.edge.security.RequestPath;
import dev.swarmcdn.edge.forwarding.cache.CacheKey;
import dev.swarmcdn.edge.forwarding.cache.CacheKeys;
import dev.swarmcdn.edge.forwarding.cache.StorePolicy;
import dev.swarmcdn.edge.forwarding.cache.StoredResponse;
import dev.swarmcdn.edge.forwarding.cache.TieredCache;
import dev.swarmcdn.edge.forwarding.fill.FillRegistry;
import dev.swarmcdn.edge.forwarding.integrity.SegmentIntegrity;
import dev.swarmcdn.edge.forwarding.routing.ForwardedHost;
import dev.swarmcdn.edge.forwarding.routing.ShieldRouting;
import dev.swarmcdn.edge.forwarding.upstream.UpstreamRoutes;
import dev.swarmcdn.edge.forwarding.upstream.UpstreamRoutes.Route;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.function.LongSupplier;

/**
 * The forwarding layer's entry: finds the upstream route and cache key of a GET or HEAD and sends
 * the request on its {@link Attempt} (fresh hit, stale handling, coalesced fill, owner edge,
 * origin); also the seeder's way into the cache, past the HTTP layer.
 */
public final class CachingProxy implements Handler<RoutingContext> {

  private final Vertx vertx;
  private final UpstreamRoutes routes;
  private final CacheKeys keys;
  private final TieredCache cache;
  private final CacheFiller filler;
  private final ProxyAnswers answers;
  private final LongSupplier clock;

  /** @param clock epoch milliseconds: what freshness and age are measured with */
  public CachingProxy(Vertx vertx, String edgeId, UpstreamRoutes routes, CacheKeys keys,
      TieredCache cache, FillRegistry fills, ShieldRouting shield, SegmentIntegrity integrity,
      StorePolicy storePolicy, long maxObjectBytes, LongSupplier clock, EdgeMetrics metrics) {
    this.vertx = vertx;
    this.routes = routes;
    this.keys = keys;
    this.cache = cache;
    this.filler = new CacheFiller(edgeId, cache, fills, shield, integrity, storePolicy, maxObjectBytes,
        clock, metrics);
    this.answers = new ProxyAnswers(clock, metrics);
    this.clock = clock;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String path = RequestPath.of(ctx);
    Route route = routes.match(ForwardedHost.of(request), path);
    if (route == null) {
      ProxyAnswers.plain(request.response(), 404, "no upstream serves this path\n");
      return;
    }
    CacheKey key = keys.of(route.keyHost(), path, request.query());
    new Attempt(vertx.getOrCreateContext(), request, route, key, cache, filler, answers, clock).lookUp();
  }

  /**
   * An object's bytes for the edge's own seeder, by path (routes that match any host): a fresh
   * stored copy or the fill every viewer's request would join.
   */
  public Future<byte[]> bytesFor(String path) {
    Route route = routes.match(null, path);
    if (route == null) {
      return Future.failedFuture(new IllegalArgumentException("no upstream serves " + path));
    }
    return filler.fetchWhole(route, keys.of(route.keyHost(), path, null), false);
  }

  /** Whether the memory tier holds a fresh copy of the object at {@code path} now. */
  public boolean holdsFresh(String path) {
    Route route = routes.match(null, path);
    StoredResponse hit = route == null ? null : cache.acquire(keys.of(route.keyHost(), path, null));
    if (hit == null) {
      return false;
    }
    try {
      return hit.usability(clock.getAsLong()) == StoredResponse.Usability.FRESH;
    } finally {
      hit.body().release();
    }
  }
}
