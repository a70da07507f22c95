package dev.swarmcdn.edge.forwarding.upstream;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which upstreams serve which paths: the longest matching path prefix wins. Written
 * {@code PREFIX=URL|URL,...}; a bare {@code URL} serves every path.
 */
public final class UpstreamRoutes {

  /** Upstreams for one path prefix, in the order they are tried. */
  public record Route(String prefix, List<Upstream> upstreams) {
    public Route {
      upstreams = List.copyOf(upstreams);
      if (upstreams.isEmpty()) {
        throw new IllegalArgumentException("route " + prefix + " has no upstream");
      }
    }
  }

  private final List<Route> routes;

  public UpstreamRoutes(List<Route> routes) {
    List<Route> sorted = new ArrayList<>(routes);
    sorted.sort(Comparator.comparingInt((Route r) -> r.prefix().length()).reversed());
    this.routes = List.copyOf(sorted);
  }

  public static UpstreamRoutes parse(List<String> specs) {
    List<Route> routes = new ArrayList<>();
    for (String spec : specs) {
      int eq = spec.indexOf('=');
      String prefix = eq < 0 ? "/" : spec.substring(0, eq).trim();
      if (!prefix.startsWith("/")) {
        throw new IllegalArgumentException("route prefix must start with '/': " + spec);
      }
      List<Upstream> upstreams = new ArrayList<>();
      for (String url : spec.substring(eq + 1).split("\\|")) {
        upstreams.add(Upstream.parse(url.trim()));
      }
      routes.add(new Route(prefix, upstreams));
    }
    return new UpstreamRoutes(routes);
  }

  /** The route for a path, or null when none matches. */
  public Route match(String path) {
    for (Route route : routes) {
      if (path.startsWith(route.prefix())) {
        return route;
      }
    }
    return null;
  }
}
