package dev.swarmcdn.edge.forwarding.cache;

import io.vertx.core.MultiMap;
import java.util.Objects;

/**
 * One cached response: status, the end-to-end headers to replay, the timing that RFC 9111's age
 * calculation needs, the freshness decided when it was stored, and the body.
 *
 * <p>Immutable apart from the body's reference count. Each instance owns one reference on its body;
 * a 304 revalidation makes a new instance that shares the body (see {@link #revalidated}).
 *
 * @param requestTime   epoch ms when the upstream request was sent
 * @param responseTime  epoch ms when its response arrived
 * @param ageSeconds    the upstream's Age header, 0 if none
 * @param dateMillis    the upstream's Date header, or {@code responseTime} if none
 * @param freshFor      freshness lifetime, ms
 * @param staleWhileRevalidate  ms past expiry during which it is served while refreshed in the background
 * @param staleIfError  ms past expiry during which it is served when the upstream fails
 * @param alwaysRevalidate  no-cache: must be validated before every use
 */
public record StoredResponse(
    int status,
    MultiMap headers,
    String etag,
    String lastModified,
    long length,
    PagedBody body,
    long requestTime,
    long responseTime,
    long ageSeconds,
    long dateMillis,
    long freshFor,
    long staleWhileRevalidate,
    long staleIfError,
    boolean alwaysRevalidate) {

  public StoredResponse {
    Objects.requireNonNull(headers);
    Objects.requireNonNull(body);
  }

  /** RFC 9111 section 4.2.3: the current age of this response, in ms. */
  public long currentAge(long now) {
    long apparentAge = Math.max(0, responseTime - dateMillis);
    long responseDelay = Math.max(0, responseTime - requestTime);
    long correctedAgeValue = ageSeconds * 1000 + responseDelay;
    long correctedInitialAge = Math.max(apparentAge, correctedAgeValue);
    long residentTime = Math.max(0, now - responseTime);
    return correctedInitialAge + residentTime;
  }

  /** How much longer it is fresh, ms; zero or negative when stale. */
  public long freshnessLeft(long now) {
    return alwaysRevalidate ? -1 : freshFor - currentAge(now);
  }

  public Usability usability(long now) {
    long left = freshnessLeft(now);
    if (left > 0) {
      return Usability.FRESH;
    }
    if (!alwaysRevalidate && -left < staleWhileRevalidate) {
      return Usability.STALE_WHILE_REVALIDATE;
    }
    return Usability.MUST_REVALIDATE;
  }

  /**
   * Whether it may stand in for an upstream that failed (stale-if-error). Never for a no-cache
   * response: it may only be used once validated, and a failing upstream validates nothing.
   */
  public boolean usableOnError(long now) {
    return !alwaysRevalidate && -freshnessLeft(now) < staleIfError;
  }

  /** What a cache may do with a stored response at a given moment. */
  public enum Usability { FRESH, STALE_WHILE_REVALIDATE, MUST_REVALIDATE }

  /**
   * The same body under refreshed metadata after a 304 (RFC 9111 section 4.3.4), with its own
   * reference on the body; null if the body was freed meanwhile (the entry was evicted).
   */
  public StoredResponse revalidated(MultiMap mergedHeaders, long newRequestTime, long newResponseTime,
      long newAgeSeconds, long newDateMillis, long newFreshFor, long newSwr, long newSie,
      boolean newAlwaysRevalidate) {
    if (!body.tryRetain()) {
      return null;
    }
    return new StoredResponse(status, mergedHeaders, mergedHeaders.get("ETag"),
        mergedHeaders.get("Last-Modified"), length, body, newRequestTime, newResponseTime,
        newAgeSeconds, newDateMillis, newFreshFor, newSwr, newSie, newAlwaysRevalidate);
  }
}
