package dev.swarmcdn.edge.forwarding.cache;

import java.time.Duration;

/**
 * Decides how long a response stays fresh and how long it may be served stale, from its headers
 * (RFC 9111 section 4.2.1, RFC 5861) and the operator's settings.
 *
 * <p>Operator overrides per kind of object win over the upstream: live playlists change every
 * segment and media segments never change, whatever an origin says. A response that forbids
 * stale use ({@link CacheControl#forbidsStale}) is never served stale; otherwise its own
 * stale-while-revalidate and stale-if-error bound the time, and the operator's defaults apply only
 * when it names none.
 */
public final class FreshnessPolicy {

  /** Kinds of object that have their own freshness override. */
  public enum Kind { PLAYLIST, SEGMENT, OTHER }

  private final long playlistTtlMs;
  private final long segmentTtlMs;
  private final long defaultSwrMs;
  private final long defaultSieMs;

  /**
   * @param playlistTtl  freshness of playlists, or null to follow the upstream
   * @param segmentTtl   freshness of media segments, or null to follow the upstream
   * @param defaultStaleWhileRevalidate  when the upstream gives none
   * @param defaultStaleIfError  when the upstream gives none
   */
  public FreshnessPolicy(Duration playlistTtl, Duration segmentTtl,
      Duration defaultStaleWhileRevalidate, Duration defaultStaleIfError) {
    this.playlistTtlMs = playlistTtl == null ? -1 : playlistTtl.toMillis();
    this.segmentTtlMs = segmentTtl == null ? -1 : segmentTtl.toMillis();
    this.defaultSwrMs = defaultStaleWhileRevalidate.toMillis();
    this.defaultSieMs = defaultStaleIfError.toMillis();
  }

  public static Kind kindOf(String path) {
    if (path.endsWith(".m3u8") || path.endsWith(".mpd")) {
      return Kind.PLAYLIST;
    }
    if (path.endsWith(".m4s") || path.endsWith(".ts") || path.endsWith(".mp4")
        || path.endsWith(".aac") || path.endsWith(".m4a") || path.endsWith(".vtt")) {
      return Kind.SEGMENT;
    }
    return Kind.OTHER;
  }

  /**
   * Freshness lifetime in ms.
   *
   * @param expires       Expires header parsed to epoch ms, or -1 (absent or invalid: stale)
   * @param date          Date header in epoch ms (or the response time)
   * @param lastModified  Last-Modified in epoch ms, or -1
   */
  public long freshFor(Kind kind, CacheControl cc, long expires, boolean expiresPresent, long date,
      long lastModified) {
    if (kind == Kind.PLAYLIST && playlistTtlMs >= 0) {
      return playlistTtlMs;
    }
    if (kind == Kind.SEGMENT && segmentTtlMs >= 0) {
      return segmentTtlMs;
    }
    long sharedMaxAge = cc.sharedMaxAge();
    if (sharedMaxAge >= 0) {
      return sharedMaxAge * 1000;
    }
    if (expiresPresent) {
      return expires < 0 ? 0 : Math.max(0, expires - date);
    }
    if (lastModified >= 0 && lastModified < date) {
      // Heuristic freshness (RFC 9111 section 4.2.2): a tenth of the time since last change, capped.
      return Math.min((date - lastModified) / 10, Duration.ofHours(1).toMillis());
    }
    return 0;
  }

  public long staleWhileRevalidate(CacheControl cc) {
    if (cc.forbidsStale()) {
      return 0;
    }
    return cc.staleWhileRevalidate() >= 0 ? cc.staleWhileRevalidate() * 1000 : defaultSwrMs;
  }

  public long staleIfError(CacheControl cc) {
    if (cc.forbidsStale()) {
      return 0;
    }
    return cc.staleIfError() >= 0 ? cc.staleIfError() * 1000 : defaultSieMs;
  }
}
