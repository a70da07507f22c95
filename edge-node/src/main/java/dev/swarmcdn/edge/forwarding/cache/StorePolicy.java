package dev.swarmcdn.edge.forwarding.cache;

import dev.swarmcdn.kit.http.HttpDates;
import io.vertx.core.MultiMap;

/**
 * What the cache may keep of an upstream response, and the entry it keeps (RFC 9111): only a 200
 * that a shared cache may store (no no-store, no private) and that does not vary on a request
 * field the edge forwards; fresh for what {@link FreshnessPolicy} decides from its headers and the
 * operator's settings, servable stale for its stale-while-revalidate and stale-if-error windows,
 * and revalidated before every use when it says no-cache. A 304 refreshes an entry the same way,
 * from the stored headers as the 304 updated them (section 4.3.4).
 */
public final class StorePolicy {

  private final FreshnessPolicy freshness;

  public StorePolicy(FreshnessPolicy freshness) {
    this.freshness = freshness;
  }

  /** Whether the cache stores a response with this status and these headers, if its body fits. */
  public boolean storable(int status, MultiMap headers) {
    return status == 200 && cacheControl(headers).storable() && storableVary(headers.get("Vary"));
  }

  /**
   * The entry for a 200 whose body came whole; takes over the caller's reference on the body.
   *
   * @param requestTime   epoch ms when the upstream request was sent
   * @param responseTime  epoch ms when its response arrived
   */
  public StoredResponse entry(CacheKey key, MultiMap upstreamHeaders, PagedBody body, long length,
      long requestTime, long responseTime) {
    MultiMap stored = StoredHeaders.of(upstreamHeaders);
    long date = dateOf(upstreamHeaders, responseTime);
    CacheControl cc = cacheControl(upstreamHeaders);
    return new StoredResponse(200, stored, stored.get("ETag"), stored.get("Last-Modified"), length, body,
        requestTime, responseTime, ageOf(upstreamHeaders), date, freshFor(key, cc, upstreamHeaders, date),
        freshness.staleWhileRevalidate(cc), freshness.staleIfError(cc), cc.noCache());
  }

  /**
   * {@code previous} as a 304 confirmed it, sharing its body under a reference of its own; null if
   * the body was freed meanwhile (the entry was evicted).
   */
  public StoredResponse refreshed(CacheKey key, StoredResponse previous, MultiMap notModifiedHeaders,
      long requestTime, long responseTime) {
    MultiMap merged = StoredHeaders.merge(previous.headers(), notModifiedHeaders);
    long date = dateOf(notModifiedHeaders, responseTime);
    CacheControl cc = cacheControl(merged);
    return previous.revalidated(merged, requestTime, responseTime, ageOf(notModifiedHeaders), date,
        freshFor(key, cc, merged, date), freshness.staleWhileRevalidate(cc), freshness.staleIfError(cc),
        cc.noCache());
  }

  private long freshFor(CacheKey key, CacheControl cc, MultiMap headers, long date) {
    String expires = headers.get("Expires");
    return freshness.freshFor(FreshnessPolicy.kindOf(key.path()), cc,
        expires == null ? -1 : HttpDates.parse(expires).orElse(-1), expires != null, date,
        HttpDates.parse(headers.get("Last-Modified")).orElse(-1));
  }

  private static CacheControl cacheControl(MultiMap headers) {
    return CacheControl.parse(String.join(",", headers.getAll("Cache-Control")));
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

  /** The upstream's Date, or when its response arrived when it sent none (or an invalid one). */
  private static long dateOf(MultiMap headers, long responseTime) {
    long date = HttpDates.parse(headers.get("Date")).orElse(-1);
    return date >= 0 ? date : responseTime;
  }

  /** The upstream's Age in seconds; 0 when absent or malformed. */
  private static long ageOf(MultiMap headers) {
    String value = headers.get("Age");
    if (value == null) {
      return 0;
    }
    try {
      return Math.max(0, Long.parseLong(value.trim()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
