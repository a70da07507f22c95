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
import dev.swarmcdn.edge.forwarding.routing.ForwardedHost;
import dev.swarmcdn.edge.forwarding.routing.ShieldRouting;
import dev.swarmcdn.edge.forwarding.upstream.UpstreamClient;
import dev.swarmcdn.edge.forwarding.upstream.UpstreamRoutes.Route;
import dev.swarmcdn.edge.forwarding.upstream.UpstreamRoutes;
import dev.swarmcdn.kit.http.HttpDates;
import dev.swarmcdn.kit.http.Preconditions;
import dev.swarmcdn.kit.http.RangeSelection;
import io.vertx.core.Context;
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
 * joins or starts the object's fill and streams it as it arrives. With the upstream failing, a
 * stored response within stale-if-error is served instead of an error.
 */
public final class CachingProxy implements Handler<RoutingContext> {

  /** A request needing the whole object first (range, conditional) waits this many times at most. */
  private static final int MAX_PASSES = 2;

  private final Vertx vertx;
  private final String edgeId;
  private final UpstreamRoutes routes;
  private final CacheKeys keys;
  private final TieredCache cache;
  private final FillRegistry fills;
  private final ShieldRouting shield;
  private final FreshnessPolicy policy;
  private final long maxObjectBytes;
  private final LongSupplier clock;
  private final EdgeMetrics metrics;

  public CachingProxy(Vertx vertx, String edgeId, UpstreamRoutes routes, CacheKeys keys,
      TieredCache cache, FillRegistry fills, ShieldRouting shield, FreshnessPolicy policy,
      long maxObjectBytes, LongSupplier clock, EdgeMetrics metrics) {
    this.vertx = vertx;
    this.edgeId = edgeId;
    this.routes = routes;
    this.keys = keys;
    this.cache = cache;
    this.fills = fills;
    this.shield = shield;
    this.policy = policy;
    this.maxObjectBytes = maxObjectBytes;
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
        join(key, route, fromAnotherEdge, hit).fill().body().release();
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
    FillRegistry.Joined joined = fills.join(key, plan.upstreams(), upstreamHeaders(plan, previous), fill -> {
      plan.end();
      settle(key, fill, previous);
    });
    if (!joined.started()) {
      plan.end();
    }
    return joined;
  }

  /**
   * Waits for the fill's head, then streams it, or serves the stored fallback, or comes back once
   * the object is whole.
   *
   * @param fallback a stored response this request holds a reference on, or null
   */
  private void awaitFill(HttpServerRequest request, Route route, CacheKey key,
      FillRegistry.Joined joined, StoredResponse fallback, int pass) {
    Context context = vertx.getOrCreateContext();
    Fill fill = joined.fill();
    fill.head().onComplete(outcome -> context.runOnContext(ignored -> {
      if (outcome.failed()) {
        fill.body().release();
        answerUpstreamFailure(request, fallback, outcome.cause());
        return;
      }
      Fill.Head head = outcome.result();
      boolean serveFallbackOnError = head.status() >= 500 && fallback != null
          && fallback.usableOnError(clock.getAsLong());
      boolean wantsWholeObject = pass < MAX_PASSES - 1 && needsWholeObject(request);
      if (serveFallbackOnError) {
        fill.body().release();
        respondStored(request, fallback, CacheStatus.STALE);
        return;
      }
      if (head.status() == 304 || wantsWholeObject) {
        // The answer is (or will be) in the cache once the fill settles: look again then.
        fill.done().onComplete(settled -> context.runOnContext(again -> {
          fill.body().release();
          if (fallback != null) {
            fallback.body().release();
          }
          if (settled.failed()) {
            answerUpstreamFailure(request, null, settled.cause());
          } else if (pass + 1 < MAX_PASSES) {
            serve(request, route, key, pass + 1, false, head.responseTime());
          } else {
            plain(request.response(), 502, "upstream answer could not be cached\n");
          }
        }));
        return;
      }
      if (fallback != null) {
        fallback.body().release();
      }
      respondStreaming(request, context, head, fill);
    }));
  }

  private boolean needsWholeObject(HttpServerRequest request) {
    MultiMap headers = request.headers();
    return headers.contains("Range") || headers.contains("If-None-Match")
        || headers.contains("If-Modified-Since");
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

  /** Sends a fill's response as it arrives. Owns the request's reference on the fill's body. */
  private void respondStreaming(HttpServerRequest request, Context context, Fill.Head head, Fill fill) {
    metrics.answered(CacheStatus.MISS);
    HttpServerResponse response = request.response();
    response.setStatusCode(head.status());
    response.headers().addAll(StoredHeaders.of(head.headers()));
    response.headers().remove("Content-Length");
    response.putHeader("Age", "0").putHeader("X-Cache", CacheStatus.MISS.name());
    if (head.contentLength() >= 0) {
      response.putHeader("Content-Length", Long.toString(head.contentLength()));
    } else {
      response.setChunked(true);
    }
    if (request.method() == HttpMethod.HEAD || head.contentLength() == 0) {
      response.end();
      fill.body().release();
      return;
    }
    new BodyStreamer(context, response, fill, 0, head.contentLength()).start();
  }

  /**
   * Answers from a stored response as RFC 9110 asks: 304/412 for preconditions, 206/416 for a single
   * byte range, headers only for HEAD. Owns the request's reference on the body.
   */
  private void respondStored(HttpServerRequest request, StoredResponse stored, CacheStatus status) {
    metrics.answered(status);
    HttpServerResponse response = request.response();
    response.headers().addAll(stored.headers());
    response.headers().remove("Content-Length");
    response.putHeader("Age", Long.toString(stored.currentAge(clock.getAsLong()) / 1000));
    response.putHeader("X-Cache", status.name());
    // Parsing a date costs more than the rest of a hit: only when a request header compares one.
    MultiMap asked = request.headers();
    long lastModified = asked.contains("If-Modified-Since") || asked.contains("If-Unmodified-Since")
        || asked.contains("If-Range") ? HttpDates.parse(stored.lastModified()).orElse(-1) : -1;
    Preconditions.Outcome outcome = stored.status() != 200 ? Preconditions.Outcome.PROCEED
        : Preconditions.evaluate(request.method(), request.headers(), stored.etag(), lastModified);
    if (outcome != Preconditions.Outcome.PROCEED) {
      response.setStatusCode(outcome == Preconditions.Outcome.NOT_MODIFIED ? 304 : 412);
      response.end();
      stored.body().release();
      return;
    }
    RangeSelection selection = stored.status() != 200 ? RangeSelection.WHOLE
        : RangeSelection.of(request.headers(), stored.etag(), lastModified, stored.length());
    long first = 0;
    long length = stored.length();
    response.putHeader("Accept-Ranges", "bytes");
    if (selection instanceof RangeSelection.Part part) {
      response.setStatusCode(206).putHeader("Content-Range", part.contentRange());
      first = part.first();
      length = part.length();
    } else if (selection instanceof RangeSelection.Unsatisfiable unsatisfiable) {
      response.setStatusCode(416).putHeader("Content-Range", unsatisfiable.contentRange())
          .putHeader("Content-Length", "0").end();
      stored.body().release();
      return;
    } else {
      response.setStatusCode(stored.status());
    }
    response.putHeader("Content-Length", Long.toString(length));
    if (request.method() == HttpMethod.HEAD || length == 0) {
      response.end();
      stored.body().release();
      return;
    }
    metrics.sentFromCache(length);
    new BodyStreamer(vertx.getOrCreateContext(), response, BodyProgress.complete(stored.body()), first,
        first + length).start();
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
   * Runs once per fill when it settles: stores a cacheable 200, refreshes the previous entry on a
   * 304, and gives the fill's own body reference to the cache or back to the pool.
   */
  private void settle(CacheKey key, Fill fill, StoredResponse previous) {
    if (fill.failure() != null) {
      fill.body().release();
      return;
    }
    Fill.Head head = fill.head().result();
    metrics.receivedFromUpstream(fill.body().published());
    MultiMap headers = head.headers();
    CacheControl cc = CacheControl.parse(String.join(",", headers.getAll("Cache-Control")));
    long date = orElse(HttpDates.parse(headers.get("Date")).orElse(-1), head.responseTime());
    long age = parseSeconds(headers.get("Age"));
    FreshnessPolicy.Kind kind = FreshnessPolicy.kindOf(key.path());
    String expires = headers.get("Expires");
    long freshFor = policy.freshFor(kind, cc, expires == null ? -1 : HttpDates.parse(expires).orElse(-1), expires != null,
        date, HttpDates.parse(headers.get("Last-Modified")).orElse(-1));
    if (head.status() == 304 && previous != null) {
      metrics.confirmedUnchanged();
      MultiMap merged = StoredHeaders.merge(previous.headers(), headers);
      StoredResponse refreshed = previous.revalidated(merged, head.requestTime(), head.responseTime(),
          age, date, freshFor, policy.staleWhileRevalidate(cc), policy.staleIfError(cc), cc.noCache());
      if (refreshed != null) {
        cache.replace(key, previous, refreshed);
      }
      fill.body().release();
      return;
    }
    if (head.status() == 200 && cc.storable() && storableVary(headers.get("Vary"))
        && fill.body().published() <= maxObjectBytes) {
      MultiMap stored = StoredHeaders.of(headers);
      cache.put(key, new StoredResponse(200, stored, stored.get("ETag"), stored.get("Last-Modified"),
          fill.body().published(), fill.body(), head.requestTime(), head.responseTime(), age, date,
          freshFor, policy.staleWhileRevalidate(cc), policy.staleIfError(cc), cc.noCache()));
      return;
    }
    fill.body().release();
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
