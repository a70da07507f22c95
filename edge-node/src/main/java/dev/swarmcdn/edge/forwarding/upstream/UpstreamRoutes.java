package dev.swarmcdn.edge.forwarding.upstream;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which upstreams serve which requests, by the request's host and path. Written
 * {@code [HOST][PREFIX]=URL|URL,...}: {@code /vod/=URL} serves a path prefix on every host,
 * {@code video.example.com=URL} every path of one host, {@code video.example.com/live/=URL} a
 * prefix of one host, and a bare {@code URL} every path of every host.
 *
 * <p>The routes of the request's host come first, the longest matching prefix among them winning;
 * only when none matches do the routes for every host apply, again longest prefix first. Hosts are
 * names without a port, compared case-blind, so {@code Host: Video.example.com:8081} is
 * {@code video.example.com}.
 */
public final class UpstreamRoutes {

  /** A host name or IPv4 address: letters, digits, hyphens and dots. */
  private static final Pattern HOST = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

  /**
   * Upstreams for one path prefix, of one host or of every host (null), in the order they are tried.
   */
  public record Route(String host, String prefix, List<Upstream> upstreams) {
    public Route {
      upstreams = List.copyOf(upstreams);
      if (upstreams.isEmpty()) {
        throw new IllegalArgumentException("route " + prefix + " has no upstream");
      }
    }

    /**
     * The host of the cache keys of this route's objects. Routed by host, the request's host: two
     * hosts' {@code /index.m3u8} are different objects. Otherwise the first upstream's, whatever
     * name viewers reached the edge by, so that every edge of a set keys an object alike.
     */
    public String keyHost() {
      return host != null ? host : upstreams.get(0).name();
    }
  }

  private final Map<String, List<Route>> byHost = new HashMap<>();
  private final List<Route> anyHost = new ArrayList<>();

  public UpstreamRoutes(List<Route> routes) {
    for (Route route : routes) {
      (route.host() == null ? anyHost : byHost.computeIfAbsent(route.host(), h -> new ArrayList<>())).add(route);
    }
    Comparator<Route> longestFirst = Comparator.comparingInt((Route r) -> r.prefix().length()).reversed();
    anyHost.sort(longestFirst);
    byHost.values().forEach(list -> list.sort(longestFirst));
  }

  public static UpstreamRoutes parse(List<String> specs) {
    List<Route> routes = new ArrayList<>();
    for (String raw : specs) {
      String spec = raw.trim();
      int eq = spec.indexOf('=');
      boolean bareUrl = eq < 0 || spec.regionMatches(true, 0, "http://", 0, 7)
          || spec.regionMatches(true, 0, "https://", 0, 8);
      String selector = bareUrl ? "/" : spec.substring(0, eq).trim();
      int slash = selector.indexOf('/');
      String host = slash == 0 ? null : (slash < 0 ? selector : selector.substring(0, slash)).toLowerCase(Locale.ROOT);
      String prefix = slash < 0 ? "/" : selector.substring(slash);
      if (host != null && !HOST.matcher(host).matches()) {
        throw new IllegalArgumentException("route must be [HOST][/PREFIX]=URL with HOST a name without port, got " + raw);
      }
      List<Upstream> upstreams = new ArrayList<>();
      for (String url : (bareUrl ? spec : spec.substring(eq + 1)).split("\\|")) {
        upstreams.add(Upstream.parse(url.trim()));
      }
      routes.add(new Route(host, prefix, upstreams));
    }
    return new UpstreamRoutes(routes);
  }

  /**
   * The route for a request, or null when none matches.
   *
   * @param host the request's host, with or without port, any case; null when it named none
   */
  public Route match(String host, String path) {
    if (host != null && !byHost.isEmpty()) {
      List<Route> ofHost = byHost.get(hostName(host));
      Route route = ofHost == null ? null : longestPrefix(ofHost, path);
      if (route != null) {
        return route;
      }
    }
    return longestPrefix(anyHost, path);
  }

  private static Route longestPrefix(List<Route> routes, String path) {
    for (Route route : routes) {
      if (path.startsWith(route.prefix())) {
        return route;
      }
    }
    return null;
  }

  /** {@code Video.Example.com:8081} → {@code video.example.com}. */
  static String hostName(String host) {
    int colon = host.lastIndexOf(':');
    String name = colon >= 0 && host.indexOf(']') < colon ? host.substring(0, colon) : host;
    return name.toLowerCase(Locale.ROOT);
  }
}
