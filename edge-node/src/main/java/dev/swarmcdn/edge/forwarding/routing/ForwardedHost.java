package dev.swarmcdn.edge.forwarding.routing;

import dev.swarmcdn.edge.forwarding.upstream.UpstreamClient;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;

/**
 * The host a request is for, as routes see it. An edge that forwards a host-routed miss to the
 * owner edge connects to the owner, so the owner's {@code Host} names itself; the viewer's host
 * travels in {@link #HEADER}, read only from requests that carry the hop header, whose own
 * {@code Host} is never used. (Any client may name any host in {@code Host} anyway: this opens
 * nothing.)
 */
public final class ForwardedHost {

  public static final String HEADER = "X-Forwarded-Host";

  private ForwardedHost() {}

  /** The host to route the request by, or null when there is none. */
  public static String of(HttpServerRequest request) {
    if (request.headers().contains(UpstreamClient.HOP_HEADER)) {
      // Without it, the forwarding edge routed for every host: so must this one, whatever its own name.
      return request.getHeader(HEADER);
    }
    HostAndPort authority = request.authority();
    return authority == null ? null : authority.host();
  }
}
