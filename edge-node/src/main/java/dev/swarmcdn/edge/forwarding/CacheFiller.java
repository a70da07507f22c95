package dev.swarmcdn.edge.forwarding;

import dev.swarmcdn.edge.forwarding.cache.CacheKey;
import dev.swarmcdn.edge.forwarding.cache.PagedBodies;
import dev.swarmcdn.edge.forwarding.cache.StorePolicy;
import dev.swarmcdn.edge.forwarding.cache.StoredResponse;
import dev.swarmcdn.edge.forwarding.cache.TieredCache;
import dev.swarmcdn.edge.forwarding.fill.Fill;
import dev.swarmcdn.edge.forwarding.fill.FillRegistry;
import dev.swarmcdn.edge.forwarding.fill.PeerCheck;
import dev.swarmcdn.edge.forwarding.fill.Retention;
import dev.swarmcdn.edge.forwarding.integrity.SegmentIntegrity;
import dev.swarmcdn.edge.forwarding.routing.ShieldRouting;
import dev.swarmcdn.edge.forwarding.upstream.UpstreamClient;
import dev.swarmcdn.edge.forwarding.upstream.UpstreamRoutes.Route;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.util.function.LongSupplier;

/**
 * Fills the cache from upstream: joins an object's running fill or starts one, to the owner edge
 * first when this edge is not the owner and then to the origins, and stores what the fill settles
 * as the {@link StorePolicy} allows (a new entry, or a stored one a 304 refreshed).
 */
final class CacheFiller {

  private final String edgeId;
  private final TieredCache cache;
  private final FillRegistry fills;
  private final ShieldRouting shield;
  private final SegmentIntegrity integrity;
  private final StorePolicy storePolicy;
  private final Retention retention;
  private final LongSupplier clock;
  private final EdgeMetrics metrics;

  CacheFiller(String edgeId, TieredCache cache, FillRegistry fills, ShieldRouting shield,
      SegmentIntegrity integrity, StorePolicy storePolicy, long maxObjectBytes, LongSupplier clock,
      EdgeMetrics metrics) {
    this.edgeId = edgeId;
    this.cache = cache;
    this.fills = fills;
    this.shield = shield;
    this.integrity = integrity;
    this.storePolicy = storePolicy;
    this.retention = new Retention(maxObjectBytes, head -> storePolicy.storable(head.status(), head.headers()));
    this.clock = clock;
    this.metrics = metrics;
  }

  /**
   * Joins the key's running fill or starts one.
   *
   * @param fromAnotherEdge  the request came from an edge: straight to the origins
   * @param previous         the stored response being revalidated, or null for a miss
   */
  FillRegistry.Joined join(CacheKey key, Route route, boolean fromAnotherEdge, StoredResponse previous) {
    ShieldRouting.Plan plan = shield.plan(key, fromAnotherEdge, route);
    plan.begin();
    // Another edge's segment is served and cached only once it matches the origin's signed manifest.
    PeerCheck peerCheck = plan.viaOwnerEdge() && integrity.applies(key)
        ? integrity.checkFor(route, key, this::fetchWhole) : null;
    FillRegistry.Joined joined = fills.join(key, plan.upstreams(), upstreamHeaders(plan, previous), retention,
        peerCheck, fill -> {
          plan.end();
          settle(key, fill, previous);
        });
    if (!joined.started()) {
      plan.end();
    }
    return joined;
  }

  /**
   * An object's bytes for the edge itself (a manifest to check a segment with, a segment for the
   * seeder): a fresh stored copy, or the fill of a miss, which stores it like any other for the
   * players that ask next.
   *
   * @param fromOrigin the origin's copy now, past the cache and the owner edge
   */
  Future<byte[]> fetchWhole(Route route, CacheKey key, boolean fromOrigin) {
    StoredResponse hit = fromOrigin ? null : cache.acquire(key);
    if (hit != null) {
      try {
        if (hit.usability(clock.getAsLong()) == StoredResponse.Usability.FRESH) {
          return Future.succeededFuture(PagedBodies.copy(hit.body(), hit.length()));
        }
      } finally {
        hit.body().release();
      }
    }
    // Straight to the origins, as a request from another edge would go.
    FillRegistry.Joined joined = join(key, route, fromOrigin, null);
    Fill.Reader reader = joined.reader();
    return joined.fill().done().transform(done -> {
      try {
        Fill.Head head = joined.fill().head().result();
        if (done.failed() || head.status() != 200) {
          return Future.failedFuture(new IllegalStateException(key + ": not available"));
        }
        return Future.succeededFuture(PagedBodies.copy(reader.body(), reader.body().published()));
      } finally {
        reader.release();
      }
    });
  }

  private MultiMap upstreamHeaders(ShieldRouting.Plan plan, StoredResponse revalidating) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add(UpstreamClient.HOP_HEADER, edgeId)
        .addAll(plan.headers());
    if (revalidating != null) {
      if (revalidating.etag() != null) {
        headers.add("If-None-Match", revalidating.etag());
      }
      if (revalidating.lastModified() != null) {
        headers.add("If-Modified-Since", revalidating.lastModified());
      }
    }
    return headers;
  }

  /**
   * Runs once per fill when it settles: stores a body the fill kept whole, refreshes the previous
   * entry on a 304, and gives the fill's own body reference to the cache or back to the pool.
   */
  private void settle(CacheKey key, Fill fill, StoredResponse previous) {
    if (fill.failure() != null) {
      fill.body().release();
      return;
    }
    Fill.Head head = fill.head().result();
    metrics.receivedFromUpstream(fill.body().published());
    if (head.status() == 304 && previous != null) {
      metrics.confirmedUnchanged();
      StoredResponse refreshed = storePolicy.refreshed(key, previous, head.headers(), head.requestTime(),
          head.responseTime());
      if (refreshed != null) {
        cache.replace(key, previous, refreshed, fill.purgeMark());
      }
      fill.body().release();
      return;
    }
    if (fill.keptWhole()) {
      cache.put(key, storePolicy.entry(key, head.headers(), fill.body(), fill.body().published(),
          head.requestTime(), head.responseTime()), fill.purgeMark());
      return;
    }
    fill.body().release();
  }
}
