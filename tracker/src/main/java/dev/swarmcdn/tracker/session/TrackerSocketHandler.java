package dev.swarmcdn.tracker.session;

import dev.swarmcdn.tracker.locality.ClientAddressResolver;
import dev.swarmcdn.tracker.locality.NetworkPrefix;
import dev.swarmcdn.tracker.registry.EdgeCredentials;
import dev.swarmcdn.tracker.socket.PeerSocket;
import dev.swarmcdn.tracker.socket.WebSocketUpgrade;
import dev.swarmcdn.tracker.swarm.SharedValues;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Consumer;

/**
 * A WebSocket endpoint of the tracker: upgrades the request and hands the connection, with the
 * viewer's network prefix and whether it showed the edge secret, to the session of its protocol.
 * Both are read here, from the handshake, because X-Forwarded-For and Authorization exist only on
 * the HTTP request (and only their outcome is kept, not the request).
 */
public final class TrackerSocketHandler implements Handler<RoutingContext> {

  /** Takes over an accepted WebSocket; called on its event loop. */
  @FunctionalInterface
  public interface SessionOpener {
    void open(PeerSocket socket, NetworkPrefix network, EdgeCredentials.Trust edge);
  }

  private final ClientAddressResolver addresses;
  private final WebSocketUpgrade upgrade;
  private final Consumer<HttpConnection> upgraded;
  private final String protocolName;
  private final EdgeCredentials edges;
  private final SessionOpener opener;

  /**
   * @param upgraded     told of each HTTP connection that became a WebSocket: its HTTP timers stop
   * @param protocolName named in the answer to a request that is not a WebSocket upgrade
   * @param edges        who counts as an edge ({@link EdgeCredentials#NOBODY} where it does not matter)
   */
  public TrackerSocketHandler(ClientAddressResolver addresses, WebSocketUpgrade upgrade,
      Consumer<HttpConnection> upgraded, String protocolName, EdgeCredentials edges, SessionOpener opener) {
    this.addresses = addresses;
    this.upgrade = upgrade;
    this.upgraded = upgraded;
    this.protocolName = protocolName;
    this.edges = edges;
    this.opener = opener;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    WebSocketUpgrade.Refusal refusal = WebSocketUpgrade.check(request);
    if (refusal != null) {
      ctx.response().setStatusCode(refusal.status())
          .putHeader("Upgrade", "websocket")
          .putHeader("Sec-WebSocket-Version", "13")
          .end(switch (refusal) {
            case NOT_AN_UPGRADE -> "this endpoint speaks " + protocolName + " over WebSocket\n";
            case UNSUPPORTED_VERSION -> "only WebSocket version 13 is spoken here\n";
            case BAD_KEY -> "Sec-WebSocket-Key must be 16 bytes in base64\n";
          });
      return;
    }
    SocketAddress remote = request.remoteAddress();
    NetworkPrefix network = SharedValues.network(addresses.prefixOf(remote == null ? null : remote.hostAddress(),
        request.headers().getAll("X-Forwarded-For")));
    EdgeCredentials.Trust edge = edges.trust(request);
    HttpConnection connection = request.connection();
    upgrade.accept(request).onSuccess(socket -> {
      upgraded.accept(connection);
      opener.open(socket, network, edge);
    });
  }
}
