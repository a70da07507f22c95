package dev.swarmcdn.edge.forwarding;

import dev.swarmcdn.edge.access.RequestPath;
import dev.swarmcdn.edge.forwarding.EdgeMetrics.CacheStatus;
import dev.swarmcdn.edge.forwarding.cache.CacheControl;
import dev.swarmcdn.edge.forwarding.cache.CacheKey;
import dev.swarmcdn.edge.forwarding.cache.CacheKeys;
import dev.swarmcdn.edge.forwarding.cache.FreshnessPolicy;
import dev.swarmcdn.edge.forwarding.cache.StoredHeaders;
import dev.swarmcdn.edge.forwarding.cache.StoredResponse;
import dev.swarmcdn.edge.forwarding.cache.TieredCache;
import dev.swarmcdn.edge.forwarding.fill.BodyProgress;
import dev.swarmcdn.edge.forwarding.fill.BodyStreamer;
import dev.swarmcdn.edge.forwarding.fill.Fill;
import dev.swarmcdn.edge.forwarding.fill.FillRegistry;
import dev.swarmcdn.edge.forwarding.fill.PeerCheck;
import dev.swarmcdn.edge.forwarding.fill.Retention;
import dev.swarmcdn.edge.forwarding.integrity.SegmentIntegrity;
import dev.swarmcdn.edge.forwarding.cache.PagedBodies;
import dev.swarmcdn.edge.forwarding.routing.ForwardedHost;
import dev.swarmcdn.edge.forwarding.routing.ShieldRouting;
import dev.swarmcdn.edge.forwarding.upstream.UpstreamClient;
import dev.swarmcdn.edge.forwarding.upstream.UpstreamRoutes.Route;
import dev.swarmcdn.edge.forwarding.upstream.UpstreamRoutes;
import dev.swarmcdn.kit.http.HttpDates;
import dev.swarmcdn.kit.http.Preconditions;
import dev.swarmcdn.kit.http.RangeSelection;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * The forwarding layer's entry: answers a GET or HEAD from the cache when it can, and otherwise
 * fetches from upstream once for every request that wants the same object.
 *
 * <p>Per request: fresh hit → served; stale within stale-while-revalidate → served, and refreshed
 * once in the background; stale beyond it → revalidated (conditional request, coalesced); miss →
 * joins or starts the object's fill and streams what it asks for (the object, a range of it, or a
 * 304) as it arrives, whether the cache will keep it or not. With the upstream failing, a stored
 * response within stale-if-error is served instead of an error.
 */
public final class CachingProxy implements Handler<RoutingContext> {

  /** A request that joined another's revalidation without a stored copy looks this many times. */
  private static final int MAX_PASSES = 2;

  private final Vertx vertx;
  private final String edgeId;
  private final UpstreamRoutes routes;
  private final CacheKeys keys;
  private final TieredCache cache;
  private final FillRegistry fills;
  private final ShieldRouting shield;
  private final SegmentIntegrity integrity;
  private final FreshnessPolicy policy;
  private final Retention retention;
  private final LongSupplier clock;
  private final EdgeMetrics metrics;

  public CachingProxy(Vertx vertx, String edgeId, UpstreamRoutes routes, CacheKeys keys,
      TieredCache cache, FillRegistry fills, ShieldRouting shield, SegmentIntegrity integrity,
      FreshnessPolicy policy, long maxObjectBytes, LongSupplier clock, EdgeMetrics metrics) {
    this.vertx = vertx;
    this.edgeId = edgeId;
    this.routes = routes;
    this.keys = keys;
    this.cache = cache;
    this.fills = fills;
    this.shield = shield;
    this.integrity = integrity;
    this.policy = policy;
    this.retention = new Retention(maxObjectBytes, CachingProxy::storable);
    this.clock = clock;
    this.metrics = metrics;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String path = RequestPath.of(ctx);
    Route route = routes.match(ForwardedHost.of(request), path);
    if (route == null) {
      plain(request.response(), 404, "no upstream serves this path\n");
      return;
    }
    CacheKey key = keys.of(route.keyHost(), path, request.query());
    serve(request, route, key, 0, false, -1);
  }

  /**
   * @param settledAt when the response of the fill this request waited for arrived, or -1: an entry
   *                  it stored or refreshed (RFC 9111 section 4.3.4) answers the request whatever its
   *                  freshness, or a no-cache or max-age=0 object could never be served
   */
  private void serve(HttpServerRequest request, Route route, CacheKey key, int pass, boolean diskTried,
      long settledAt) {
    StoredResponse hit = cache.acquire(key);
    boolean fromAnotherEdge = request.headers().contains(UpstreamClient.HOP_HEADER);
    if (hit == null && !diskTried && cache.onDisk(key)) {
      Context context = vertx.getOrCreateContext();
      cache.promote(key).onComplete(ignored ->
          context.runOnContext(again -> serve(request, route, key, pass, true, settledAt)));
      return;
    }
    if (hit == null) {
      awaitFill(request, route, key, join(key, route, fromAnotherEdge, null), null, pass);
      return;
    }
    if (settledAt >= 0 && hit.responseTime() >= settledAt) {
      respondStored(request, hit, CacheStatus.HIT);
      return;
    }
    switch (hit.usability(clock.getAsLong())) {
      case FRESH -> respondStored(request, hit, CacheStatus.HIT);
      case STALE_WHILE_REVALIDATE -> {
        // Refreshed once in the background; nobody, not even this request, waits for it.
        join(key, route, fromAnotherEdge, hit).reader().release();
        respondStored(request, hit, CacheStatus.STALE);
      }
      case MUST_REVALIDATE -> awaitFill(request, route, key, join(key, route, fromAnotherEdge, hit), hit, pass);
    }
  }

  /**
   * Joins the key's running fill or starts one, to the owner edge or the origin.
   *
   * @param previous the stored response being revalidated, or null for a miss
   */
  private FillRegistry.Joined join(CacheKey key, Route route, boolean fromAnotherEdge,
      StoredResponse previous) {
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
   * An object's bytes for the edge's own seeder, by path (routes that match any host): as
   * {@link #fetchWhole}, a fresh stored copy or the fill every viewer's request would join.
   */
  public Future<byte[]> bytesFor(String path) {
    Route route = routes.match(null, path);
    if (route == null) {
      return Future.failedFuture(new IllegalArgumentException("no upstream serves " + path));
    }
    return fetchWhole(route, keys.of(route.keyHost(), path, null), false);
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

  /**
   * An object's bytes for the edge itself (a manifest to check a segment with): a fresh stored copy,
   * or the fill of a miss, which stores it like any other for the players that ask next.
   *
   * @param fromOrigin the origin's copy now, past the cache and the owner edge
   */
  private Future<byte[]> fetchWhole(Route route, CacheKey key, boolean fromOrigin) {
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

  /**
   * Waits for the fill's head, then streams what the request selects of it, or serves the stored
   * fallback, or (after a 304) the stored copy the upstream confirmed.
   *
   * @param fallback a stored response this request holds a reference on, or null
   */
  private void awaitFill(HttpServerRequest request, Route route, CacheKey key,
      FillRegistry.Joined joined, StoredResponse fallback, int pass) {
    Context context = vertx.getOrCreateContext();
    Fill fill = joined.fill();
    Fill.Reader reader = joined.reader();
    fill.head().onComplete(outcome -> context.runOnContext(ignored -> {
      if (outcome.failed()) {
        reader.release();
        answerUpstreamFailure(request, fallback, outcome.cause());
        return;
      }
      Fill.Head head = outcome.result();
      if (head.status() >= 500 && fallback != null && fallback.usableOnError(clock.getAsLong())) {
        reader.release();
        respondStored(request, fallback, CacheStatus.STALE);
        return;
      }
      if (head.status() == 304) {
        reader.release();
        fill.done().onComplete(settled -> context.runOnContext(again ->
            answerConfirmed(request, route, key, fallback, pass, head.responseTime())));
        return;
      }
      if (fallback != null) {
        fallback.body().release();
      }
      respondStreaming(request, context, head, reader);
    }));
  }

  /**
   * After a 304 settled: the stored copy, refreshed by it, or the copy this request held. A request
   * that joined another's revalidation without a copy of its own asks again, once.
   */
  private void answerConfirmed(HttpServerRequest request, Route route, CacheKey key,
      StoredResponse fallback, int pass, long confirmedAt) {
    StoredResponse refreshed = cache.acquire(key);
    if (refreshed != null) {
      if (fallback != null) {
        fallback.body().release();
      }
      respondStored(request, refreshed, CacheStatus.HIT);
    } else if (fallback != null) {
      respondStored(request, fallback, CacheStatus.HIT);
    } else if (pass + 1 < MAX_PASSES) {
      serve(request, route, key, pass + 1, false, confirmedAt);
    } else {
      plain(request.response(), 502, "upstream confirmed a copy this edge no longer holds\n");
    }
  }

  private void answerUpstreamFailure(HttpServerRequest request, StoredResponse fallback, Throwable cause) {
    if (fallback != null && fallback.usableOnError(clock.getAsLong())) {
      respondStored(request, fallback, CacheStatus.STALE);
      return;
    }
    if (fallback != null) {
      fallback.body().release();
    }
    metrics.answered(CacheStatus.ERROR);
    boolean timeout = isTimeout(cause);
    plain(request.response(), timeout ? 504 : 502,
        (timeout ? "upstream timed out" : "upstream unavailable") + "\n");
  }

  /**
   * Sends what the request selects of a fill's response as it arrives, whether the cache keeps it
   * or not: ranges and conditionals are answered from this one fetch. Owns the request's reader.
   */
  private void respondStreaming(HttpServerRequest request, Context context, Fill.Head head,
      Fill.Reader reader) {
    metrics.answered(CacheStatus.MISS);
    HttpServerResponse response = request.response();
    response.headers().addAll(StoredHeaders.of(head.headers()));
    response.headers().remove("Content-Length");
    response.putHeader("Age", "0").putHeader("X-Cache", CacheStatus.MISS.name());
    MultiMap upstream = head.headers();
    send(request, context, head.status(), upstream.get("ETag"), upstream.get("Last-Modified"),
        head.contentLength(), reader);
  }

  /** Answers from a stored response. Owns the request's reference on the body. */
  private void respondStored(HttpServerRequest request, StoredResponse stored, CacheStatus status) {
    metrics.answered(status);
    HttpServerResponse response = request.response();
    response.headers().addAll(stored.headers());
    response.headers().remove("Content-Length");
    response.putHeader("Age", Long.toString(stored.currentAge(clock.getAsLong()) / 1000));
    response.putHeader("X-Cache", status.name());
    metrics.sentFromCache(send(request, vertx.getOrCreateContext(), stored.status(), stored.etag(),
        stored.lastModified(), stored.length(), BodyProgress.complete(stored.body())));
  }

  /**
   * Sends what a request selects of a representation as RFC 9110 asks, once its headers are on the
   * response: for a 200, 304/412 for preconditions and 206/416 for a single byte range; headers
   * only for HEAD. A body of unknown length (still arriving) is sent whole, a Range ignored (RFC
   * 9110 section 14.2 allows it). Owns the body's reader.
   *
   * @param length  the body length, or -1 while unknown
   * @return the body bytes it sends
   */
  private long send(HttpServerRequest request, Context context, int status, String etag,
      String lastModifiedValue, long length, BodyProgress body) {
    HttpServerResponse response = request.response();
    MultiMap asked = request.headers();
    long first = 0;
    long count = length;
    response.setStatusCode(status);
    if (status == 200) {
      // Parsing a date costs more than the rest of a hit: only when a request header compares one.
      long lastModified = asked.contains("If-Modified-Since") || asked.contains("If-Unmodified-Since")
          || asked.contains("If-Range") ? HttpDates.parse(lastModifiedValue).orElse(-1) : -1;
      Preconditions.Outcome outcome = Preconditions.evaluate(request.method(), asked, etag, lastModified);
      if (outcome != Preconditions.Outcome.PROCEED) {
        response.setStatusCode(outcome == Preconditions.Outcome.NOT_MODIFIED ? 304 : 412).end();
        body.release();
        return 0;
      }
      RangeSelection selection = length < 0 ? RangeSelection.WHOLE
          : RangeSelection.of(asked, etag, lastModified, length);
      if (length >= 0) {
        response.putHeader("Accept-Ranges", "bytes");
      }
      if (selection instanceof RangeSelection.Part part) {
        response.setStatusCode(206).putHeader("Content-Range", part.contentRange());
        first = part.first();
        count = part.length();
      } else if (selection instanceof RangeSelection.Unsatisfiable unsatisfiable) {
        response.setStatusCode(416).putHeader("Content-Range", unsatisfiable.contentRange())
            .putHeader("Content-Length", "0").end();
        body.release();
        return 0;
      }
    }
    if (count >= 0) {
      response.putHeader("Content-Length", Long.toString(count));
    } else {
      response.setChunked(true);
    }
    if (request.method() == HttpMethod.HEAD || count == 0) {
      response.end();
      body.release();
      return 0;
    }
    new BodyStreamer(context, response, body, first, count < 0 ? -1 : first + count).start();
    return Math.max(0, count);
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
    MultiMap headers = head.headers();
    long age = parseSeconds(headers.get("Age"));
    long date = orElse(HttpDates.parse(headers.get("Date")).orElse(-1), head.responseTime());
    if (head.status() == 304 && previous != null) {
      metrics.confirmedUnchanged();
      // RFC 9111 section 4.3.4: freshness comes from the stored headers as the 304 updated them.
      MultiMap merged = StoredHeaders.merge(previous.headers(), headers);
      CacheControl cc = cacheControl(merged);
      StoredResponse refreshed = previous.revalidated(merged, head.requestTime(), head.responseTime(),
          age, date, freshFor(key, cc, merged, date), policy.staleWhileRevalidate(cc),
          policy.staleIfError(cc), cc.noCache());
      if (refreshed != null) {
        cache.replace(key, previous, refreshed, fill.purgeMark());
      }
      fill.body().release();
      return;
    }
    if (fill.keptWhole()) {
      CacheControl cc = cacheControl(headers);
      MultiMap stored = StoredHeaders.of(headers);
      cache.put(key, new StoredResponse(200, stored, stored.get("ETag"), stored.get("Last-Modified"),
          fill.body().published(), fill.body(), head.requestTime(), head.responseTime(), age, date,
          freshFor(key, cc, headers, date), policy.staleWhileRevalidate(cc), policy.staleIfError(cc),
          cc.noCache()), fill.purgeMark());
      return;
    }
    fill.body().release();
  }

  private static CacheControl cacheControl(MultiMap headers) {
    return CacheControl.parse(String.join(",", headers.getAll("Cache-Control")));
  }

  private long freshFor(CacheKey key, CacheControl cc, MultiMap headers, long date) {
    String expires = headers.get("Expires");
    return policy.freshFor(FreshnessPolicy.kindOf(key.path()), cc,
        expires == null ? -1 : HttpDates.parse(expires).orElse(-1), expires != null, date,
        HttpDates.parse(headers.get("Last-Modified")).orElse(-1));
  }

  /** Whether the cache stores a response with this head, if its body fits. */
  private static boolean storable(Fill.Head head) {
    return head.status() == 200 && cacheControl(head.headers()).storable()
        && storableVary(head.headers().get("Vary"));
  }

  /** We keep one variant per key: only responses that do not vary on request headers we forward. */
  private static boolean storableVary(String vary) {
    if (vary == null || vary.isBlank()) {
      return true;
    }
    for (String field : vary.split(",")) {
      String name = field.trim();
      if (!name.equalsIgnoreCase("Origin") && !name.equalsIgnoreCase("Accept-Encoding")) {
        return false;
      }
    }
    return true;
  }

  private static boolean isTimeout(Throwable cause) {
    if (cause instanceof TimeoutException || cause instanceof io.netty.channel.ConnectTimeoutException) {
      return true;
    }
    String message = cause == null || cause.getMessage() == null ? "" : cause.getMessage().toLowerCase();
    return message.contains("timeout") || message.contains("timed out");
  }

  private static long orElse(long value, long fallback) {
    return value >= 0 ? value : fallback;
  }

  private static long parseSeconds(String value) {
    if (value == null) {
      return 0;
    }
    try {
      return Math.max(0, Long.parseLong(value.trim()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static void plain(HttpServerResponse response, int status, String body) {
    response.setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8")
        .putHeader("Cache-Control", "no-store").end(body);
  }
}
