package dev.swarmcdn.edge.forwarding;

import dev.swarmcdn.edge.forwarding.EdgeMetrics.CacheStatus;
import dev.swarmcdn.edge.forwarding.cache.CacheKey;
import dev.swarmcdn.edge.forwarding.cache.StoredResponse;
import dev.swarmcdn.edge.forwarding.cache.TieredCache;
import dev.swarmcdn.edge.forwarding.fill.Fill;
import dev.swarmcdn.edge.forwarding.fill.FillRegistry;
import dev.swarmcdn.edge.forwarding.upstream.UpstreamClient;
import dev.swarmcdn.edge.forwarding.upstream.UpstreamRoutes.Route;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.LongSupplier;

/**
 * One request's way through the cache, step by step, top to bottom:
 * <ol>
 *   <li>{@link #lookUp}: the stored copy in memory, promoted from disk first if only there;
 *   <li>{@link #useStored}: a fresh copy is served; a stale one within stale-while-revalidate is
 *       served and refreshed once in the background; one beyond it is revalidated;
 *   <li>{@link #awaitFill}: a miss or a revalidation joins the object's coalesced fill (started
 *       here if none runs), which asks the owner edge first when this edge is not the owner, then
 *       the origins ({@link CacheFiller});
 *   <li>{@link #answerFromFill}: the fill's response is streamed as it arrives; a failing upstream
 *       is answered from a copy within stale-if-error, else 502/504; a 304 from the copy it
 *       confirmed ({@link #answerConfirmed}), looking up once more when this request held none.
 * </ol>
 * Runs on the request's context. Not shared: one per request.
 */
final class Attempt {

  private final Context context;
  private final HttpServerRequest request;
  private final Route route;
  private final CacheKey key;
  private final TieredCache cache;
  private final CacheFiller filler;
  private final ProxyAnswers answers;
  private final LongSupplier clock;
  private final boolean fromAnotherEdge;
  private boolean diskTried;
  /** Looked up once more after a 304 confirmed a copy it did not hold: never again. */
  private boolean lookedAgain;
  /**
   * When the response of the fill this request waited for arrived, or -1: an entry that fill stored
   * or refreshed answers the request whatever its freshness (RFC 9111 section 4.3.4), or a
   * no-cache or max-age=0 object would be refetched in a loop, never served.
   */
  private long settledAt = -1;

  Attempt(Context context, HttpServerRequest request, Route route, CacheKey key, TieredCache cache,
      CacheFiller filler, ProxyAnswers answers, LongSupplier clock) {
    this.context = context;
    this.request = request;
    this.route = route;
    this.key = key;
    this.cache = cache;
    this.filler = filler;
    this.answers = answers;
    this.clock = clock;
    this.fromAnotherEdge = request.headers().contains(UpstreamClient.HOP_HEADER);
  }

  /** Step 1: the stored copy, from memory, or from disk once promoted to memory. */
  void lookUp() {
    StoredResponse hit = cache.acquire(key);
    if (hit == null && !diskTried && cache.onDisk(key)) {
      diskTried = true;
      cache.promote(key).onComplete(ignored -> context.runOnContext(again -> lookUp()));
      return;
    }
    if (hit == null) {
      awaitFill(null);
    } else {
      useStored(hit);
    }
  }

  /** Step 2: a stored copy, by its freshness. Owns the request's reference on it. */
  private void useStored(StoredResponse hit) {
    if (settledAt >= 0 && hit.responseTime() >= settledAt) {
      answers.stored(request, context, hit, CacheStatus.HIT);
      return;
    }
    switch (hit.usability(clock.getAsLong())) {
      case FRESH -> answers.stored(request, context, hit, CacheStatus.HIT);
      case STALE_WHILE_REVALIDATE -> {
        // Refreshed once in the background; nobody, not even this request, waits for it.
        filler.join(key, route, fromAnotherEdge, hit).reader().release();
        answers.stored(request, context, hit, CacheStatus.STALE);
      }
      case MUST_REVALIDATE -> awaitFill(hit);
    }
  }

  /**
   * Step 3: joins the object's fill (a revalidation of {@code fallback}, or a miss) and waits for
   * its head.
   *
   * @param fallback a stored response this request holds a reference on, or null
   */
  private void awaitFill(StoredResponse fallback) {
    FillRegistry.Joined joined = filler.join(key, route, fromAnotherEdge, fallback);
    joined.fill().head().onComplete(outcome -> context.runOnContext(ignored -> {
      if (outcome.failed()) {
        joined.reader().release();
        answerUpstreamFailure(fallback, outcome.cause());
      } else {
        answerFromFill(joined, outcome.result(), fallback);
      }
    }));
  }

  /** Step 4: the fill's response, a stale copy standing in for an upstream error, or a 304's copy. */
  private void answerFromFill(FillRegistry.Joined joined, Fill.Head head, StoredResponse fallback) {
    if (head.status() >= 500 && fallback != null && fallback.usableOnError(clock.getAsLong())) {
      joined.reader().release();
      answers.stored(request, context, fallback, CacheStatus.STALE);
      return;
    }
    if (head.status() == 304) {
      joined.reader().release();
      joined.fill().done().onComplete(settled -> context.runOnContext(again ->
          answerConfirmed(fallback, head.responseTime())));
      return;
    }
    if (fallback != null) {
      fallback.body().release();
    }
    answers.streaming(request, context, head, joined.reader());
  }

  private void answerUpstreamFailure(StoredResponse fallback, Throwable cause) {
    if (fallback != null && fallback.usableOnError(clock.getAsLong())) {
      answers.stored(request, context, fallback, CacheStatus.STALE);
      return;
    }
    if (fallback != null) {
      fallback.body().release();
    }
    answers.upstreamFailed(request, cause);
  }

  /**
   * After a 304 settled: the stored copy, refreshed by it, or the copy this request held. A request
   * that joined another's revalidation without a copy of its own looks up once more.
   */
  private void answerConfirmed(StoredResponse fallback, long confirmedAt) {
    StoredResponse refreshed = cache.acquire(key);
    if (refreshed != null) {
      if (fallback != null) {
        fallback.body().release();
      }
      answers.stored(request, context, refreshed, CacheStatus.HIT);
    } else if (fallback != null) {
      answers.stored(request, context, fallback, CacheStatus.HIT);
    } else if (!lookedAgain) {
      lookedAgain = true;
      settledAt = confirmedAt;
      diskTried = false;
      lookUp();
    } else {
      ProxyAnswers.plain(request.response(), 502, "upstream confirmed a copy this edge no longer holds\n");
    }
  }
}
