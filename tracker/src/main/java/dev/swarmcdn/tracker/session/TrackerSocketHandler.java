package dev.swarmcdn.tracker.session;

import dev.swarmcdn.tracker.locality.ClientAddressResolver;
import dev.swarmcdn.tracker.locality.NetworkPrefix;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;

/**
 * A WebSocket endpoint of the tracker: upgrades the request and hands the connection, with the
 * viewer's network prefix, to the session of its protocol. The prefix is read here, from the
 * handshake, because X-Forwarded-For exists only on the HTTP request.
 */
public final class TrackerSocketHandler implements Handler<RoutingContext> {

  /** Takes over an accepted WebSocket; called on its event loop. */
  @FunctionalInterface
  public interface SessionOpener {
    void open(ServerWebSocket socket, NetworkPrefix network);
  }

  private final ClientAddressResolver addresses;
  private final String protocolName;
  private final SessionOpener opener;

  /** @param protocolName named in the 426 answer to a request that is not a WebSocket upgrade */
  public TrackerSocketHandler(ClientAddressResolver addresses, String protocolName, SessionOpener opener) {
    this.addresses = addresses;
    this.protocolName = protocolName;
    this.opener = opener;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (!request.canUpgradeToWebSocket()) {
      ctx.response().setStatusCode(426).putHeader("Upgrade", "websocket")
          .end("this endpoint speaks " + protocolName + " over WebSocket\n");
      return;
    }
    SocketAddress remote = request.remoteAddress();
    NetworkPrefix network = addresses.prefixOf(remote == null ? null : remote.hostAddress(),
        request.headers().getAll("X-Forwarded-For"));
    request.toWebSocket().onSuccess(socket -> opener.open(socket, network));
  }
}
