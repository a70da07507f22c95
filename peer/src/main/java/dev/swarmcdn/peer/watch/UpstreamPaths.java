package dev.swarmcdn.peer.watch;

import java.net.URI;

/**
 * Where a local path is upstream, and back. The local server mirrors the stream's paths: the
 * master playlist the user named as {@code /live/demo/master.m3u8} is served at that path, and
 * every path below is the same path under the upstream base - the routed edge with its access
 * token prefix ({@code http://edge:8081/~t/TOKEN}), so the token never reaches the local player.
 */
final class UpstreamPaths {
  private final String origin;
  private final String base;
  private final String masterPath;

  private UpstreamPaths(String origin, String base, String masterPath) {
    this.origin = origin;
    this.base = base;
    this.masterPath = masterPath;
  }

  /**
   * @param src       what the user named: a URL, or a path (with {@code --route})
   * @param resolved  where it was loaded from, after routing
   */
  static UpstreamPaths of(String src, String resolved) {
    URI upstream = URI.create(resolved);
    String origin = upstream.getScheme() + "://" + upstream.getRawAuthority();
    String upstreamPath = upstream.getRawPath() == null || upstream.getRawPath().isEmpty() ? "/" : upstream.getRawPath();
    String named = URI.create(src).getRawPath();
    if (named != null && named.startsWith("/") && upstreamPath.endsWith(named)) {
      String prefix = upstreamPath.substring(0, upstreamPath.length() - named.length());
      return new UpstreamPaths(origin, origin + prefix, named);
    }
    // Routing rewrote more than a prefix: mirror the upstream path as it is.
    return new UpstreamPaths(origin, origin, upstreamPath);
  }

  /** The local path of the playlist the user named. */
  String masterPath() {
    return masterPath;
  }

  /** The upstream URL of a local path (already checked by {@link #safeLocal}) and its query, or null. */
  String upstream(String localPath, String query) {
    return base + localPath + (query == null || query.isEmpty() ? "" : "?" + query);
  }

  /**
   * The local path (with its query) of an upstream URL, or null when it is on another server. A
   * root-relative URI of the upstream server that left the token prefix keeps its path: asked for
   * here, it goes upstream below the prefix, where the token lets it through.
   */
  String local(String upstreamUrl) {
    if (upstreamUrl.startsWith(base + "/")) {
      return upstreamUrl.substring(base.length());
    }
    if (upstreamUrl.startsWith(origin + "/")) {
      return upstreamUrl.substring(origin.length());
    }
    return null;
  }

  /**
   * Whether a request path may be mirrored: absolute, without dot segments or encoded slashes that
   * could climb out of the base upstream.
   */
  static boolean safeLocal(String path) {
    if (path == null || !path.startsWith("/") || path.contains("\\")) {
      return false;
    }
    String lower = path.toLowerCase(java.util.Locale.ROOT);
    if (lower.contains("%2f") || lower.contains("%5c") || lower.contains("%2e")) {
      return false;
    }
    for (String part : path.split("/")) {
      if (part.equals("..") || part.equals(".")) {
        return false;
      }
    }
    return true;
  }
}
