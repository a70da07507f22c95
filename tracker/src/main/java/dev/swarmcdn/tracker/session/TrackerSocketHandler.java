package dev.swarmcdn.tracker.session;

import dev.swarmcdn.tracker.locality.ClientAddressResolver;
import dev.swarmcdn.tracker.locality.NetworkPrefix;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The WebSocket endpoint of our tracker protocol: upgrades the request, names the peer and hands
 * the connection to a {@link PeerSession}. The viewer's network prefix is read here, from the
 * handshake, because X-Forwarded-For exists only on the HTTP request.
 */
public final class TrackerSocketHandler implements Handler<RoutingContext> {

  private static final int PEER_ID_BYTES = 16;

  private final SessionServices services;
  private final ClientAddressResolver addresses;
  private final SecureRandom random = new SecureRandom();

  public TrackerSocketHandler(SessionServices services, ClientAddressResolver addresses) {
    this.services = services;
    this.addresses = addresses;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (!request.canUpgradeToWebSocket()) {
      ctx.response().setStatusCode(426).putHeader("Upgrade", "websocket")
          .end("this endpoint speaks the tracker protocol over WebSocket\n");
      return;
    }
    SocketAddress remote = request.remoteAddress();
    NetworkPrefix network = addresses.prefixOf(remote == null ? null : remote.hostAddress(),
        request.headers().getAll("X-Forwarded-For"));
    request.toWebSocket().onSuccess(socket -> PeerSession.open(socket, newPeerId(), network, services));
  }

  /** 128 random bits: peers learn each other's ids from the tracker's lists, never by guessing. */
  private String newPeerId() {
    byte[] bytes = new byte[PEER_ID_BYTES];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
