package dev.swarmcdn.edge.forwarding.upstream;

import java.net.URI;
import java.util.Locale;

/**
 * One upstream server: an origin, or another edge acting as shield. The base path, if any, is
 * prefixed to every request path.
 */
public record Upstream(String name, boolean tls, String host, int port, String basePath) {

  public static Upstream parse(String url) {
    URI uri = URI.create(url);
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("upstream must be an http(s) URL: " + url);
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("upstream URL has no host: " + url);
    }
    boolean tls = scheme.equals("https");
    int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    if (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return new Upstream(uri.getHost() + ":" + port, tls, uri.getHost(), port, path);
  }

  public String uri(String pathAndQuery) {
    return basePath + pathAndQuery;
  }
}
