package dev.swarmcdn.tracker;

import dev.swarmcdn.kit.http.JsonReply;
import dev.swarmcdn.kit.http.framing.RequestFraming;
import dev.swarmcdn.kit.http.limits.ClientRateLimiter;
import dev.swarmcdn.kit.http.tls.ServerTls;
import dev.swarmcdn.kit.http.timeouts.SlowClientGuard;
import dev.swarmcdn.kit.ops.HttpServerMeters;
import dev.swarmcdn.kit.ops.Observability;
import dev.swarmcdn.kit.ops.OpsRoutes;
import dev.swarmcdn.protocol.tracker.ServerMessage;
import dev.swarmcdn.tracker.access.Hs256JoinTokens;
import dev.swarmcdn.tracker.access.JoinPolicy;
import dev.swarmcdn.tracker.locality.ClientAddressResolver;
import dev.swarmcdn.tracker.fleet.FleetFigures;
import dev.swarmcdn.tracker.fleet.FleetView;
import dev.swarmcdn.tracker.ops.RoutingMetrics;
import dev.swarmcdn.tracker.ops.SteeringMetrics;
import dev.swarmcdn.tracker.ops.PeerReportMetrics;
import dev.swarmcdn.tracker.ops.TrackerMetrics;
import dev.swarmcdn.tracker.registry.EdgeCredentials;
import dev.swarmcdn.tracker.registry.EdgeEndpoints;
import dev.swarmcdn.tracker.registry.EdgeRegistry;
import dev.swarmcdn.tracker.registry.EdgeState;
import dev.swarmcdn.tracker.routing.EdgeRouter;
import dev.swarmcdn.tracker.routing.RouteEndpoint;
import dev.swarmcdn.tracker.routing.RouteTokens;
import dev.swarmcdn.tracker.routing.TurnCredentials;
import dev.swarmcdn.tracker.session.ConnectionRules;
import dev.swarmcdn.tracker.session.PeerSession;
import dev.swarmcdn.tracker.session.SessionServices;
import dev.swarmcdn.tracker.session.TrackerSocketHandler;
import dev.swarmcdn.tracker.signal.Relay;
import dev.swarmcdn.tracker.socket.WebSocketUpgrade;
import dev.swarmcdn.tracker.signal.Signalling;
import dev.swarmcdn.tracker.steering.Steering;
import dev.swarmcdn.tracker.swarm.SwarmDirectory;
import dev.swarmcdn.tracker.webtorrent.WebTorrentServices;
import dev.swarmcdn.tracker.webtorrent.WebTorrentSession;
import dev.swarmcdn.kit.run.ListenFailure;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The tracker, assembled: the WebSocket endpoint of our protocol at {@value #WEBSOCKET_PATH}, the
 * WebTorrent tracker protocol at {@code /} and {@value #WEBTORRENT_PATH} (each protocol over a
 * swarm directory and relay of its own), the edge registry ({@code /edges}) and {@code /route},
 * plus {@code /health}, {@code /ready} and {@code /metrics}. All of it over one {@link TrackerState}.
 */
public final class TrackerServer {

  public static final String WEBSOCKET_PATH = "/ws";
  /**
   * Where WebTorrent clients announce. Public WebTorrent trackers are mostly configured as
   * {@code wss://host} (bittorrent-tracker's server takes upgrades on any path), some as
   * {@code wss://host/announce}: both are served.
   */
  public static final String WEBTORRENT_PATH = "/announce";
  /** The viewers' reported figures per stream and rendition, as JSON. */
  public static final String STREAMS_PATH = "/streams";

  private static final int RECEIVE_BUFFER_BYTES = 16 * 1024;

  private final Vertx vertx;
  private final TrackerConfig config;
  private final Observability observability;
  private final TrackerState state;
  private final LongSupplier nowMillis;
  private WebTorrentServices webTorrent;
  private Steering steering;
  private FleetFigures fleet;
  private SlowClientGuard slowClients;
  private HttpServer server;
  private ServerTls tls;

  /** A tracker on its own: state in this process, on the system clock. */
  public TrackerServer(Vertx vertx, TrackerConfig config, Observability observability) {
    this(vertx, config, observability, TrackerState.local(config, System::currentTimeMillis),
        System::currentTimeMillis);
  }

  /**
   * @param state      {@link TrackerState#local} or one shared by a cluster ({@code cluster} package)
   * @param nowMillis  the clock of the tokens /route mints (the registry has its own)
   */
  public TrackerServer(Vertx vertx, TrackerConfig config, Observability observability, TrackerState state,
      LongSupplier nowMillis) {
    this.vertx = vertx;
    this.config = config;
    this.observability = observability;
    this.state = state;
    this.nowMillis = nowMillis;
  }

  public Future<TrackerServer> start() {
    // The TLS files first: a mistake in them is refused before anything listens.
    Future<ServerTls> tlsLoaded = config.tls().enabled()
        ? ServerTls.loadAsync(vertx, "tracker", config.tls(), ServerTls.CHECK_INTERVAL)
        : Future.succeededFuture();
    return tlsLoaded.compose(loaded -> {
      tls = loaded;
      return listen();
    });
  }

  private Future<TrackerServer> listen() {
    TrackerLimits limits = config.limits();
    SwarmDirectory directory = state.ours().directory();
    Relay<ServerMessage.Signal> relay = state.ours().relay();
    TrackerMetrics metrics = new TrackerMetrics(observability.registry(), directory, TrackerMetrics.OURS);
    JoinPolicy joinPolicy = config.secret() == null ? JoinPolicy.OPEN
        : new Hs256JoinTokens(config.secret().getBytes(StandardCharsets.UTF_8), () -> System.currentTimeMillis() / 1000);
    ConnectionRules rules = new ConnectionRules(vertx, limits, config.pingInterval(), config.missedPings());
    steering = new Steering(config.steerFetchers(), directory, new SteeringMetrics(observability.registry()))
        .start(vertx, state.steering());
    fleet = new FleetFigures(observability.registry(), nowMillis);
    SessionServices services = new SessionServices(rules, directory, relay, new Signalling<>(directory, relay, metrics),
        joinPolicy, metrics, new PeerReportMetrics(observability.registry()), steering, fleet);
    ClientAddressResolver addresses = ClientAddressResolver.trusting(config.trustedProxies());
    WebSocketUpgrade upgrade = new WebSocketUpgrade(limits.hardFrameBytes(), limits.maxWriteQueueBytes());
    EdgeCredentials edges = edgeCredentials();

    Router router = Router.router(vertx);
    // First of all: a WebSocket upgrade request is a request head like any other.
    slowClients = new SlowClientGuard(vertx, config.clientTimeout(), observability.registry(), "tracker");
    router.route().handler(slowClients);
    // Before the WebSocket upgrades and every API: a flood of connections is refused before it costs
    // a socket's buffers. By the address the trusted-proxy rule resolves, as locality is.
    router.route().handler(new ClientRateLimiter(config.rateLimit(), ctx -> {
      SocketAddress remote = ctx.request().remoteAddress();
      return addresses.addressOf(remote == null ? null : remote.hostAddress(),
          ctx.request().headers().getAll("X-Forwarded-For"));
    }, ClientRateLimiter.JSON, observability.registry(), "tracker"));
    // Ahead of the request meters: a WebSocket is a connection that lasts, not a request to time.
    router.get(WEBSOCKET_PATH).handler(new TrackerSocketHandler(addresses, upgrade, slowClients::forget,
        "the tracker protocol", edges,
        (socket, network, edge) -> PeerSession.open(socket, network, edge, services)));
    if (config.webTorrent()) {
      webTorrent = WebTorrentServices.over(state.webTorrent(), rules, observability.registry(),
          config.maxPeersListed(), config.announceInterval());
      TrackerSocketHandler webTorrentEndpoint = new TrackerSocketHandler(addresses, upgrade, slowClients::forget,
          "the WebTorrent tracker protocol", EdgeCredentials.NOBODY,
          (socket, network, edge) -> WebTorrentSession.open(socket, network, webTorrent));
      router.get("/").handler(webTorrentEndpoint);
      router.get(WEBTORRENT_PATH).handler(webTorrentEndpoint);
    }
    HttpServerMeters meters = observability.newHttpServerMeters();
    router.route().handler(meters);
    OpsRoutes.mount(router, observability, () -> server != null, this::status);
    // Aggregates only, as /metrics shows them: open like it, to pages of any origin (the demo page's).
    FleetView fleetView = state.fleet().over(fleet);
    router.get(STREAMS_PATH).handler(ctx -> fleetView.streams().onComplete(figures -> {
      ctx.response().putHeader("Access-Control-Allow-Origin", "*");
      JsonReply.send(ctx, 200, figures);
    }, ctx::fail));
    mountEdgeRouting(router, edges);

    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.host())
        .setPort(config.port())
        // WebSockets are upgraded by WebSocketUpgrade, which negotiates no compression: it would
        // let a small frame inflate past every limit before we see it.
        .setCompressionSupported(false)
        // Peers send small messages. A fixed read buffer is one allocator shared by all
        // connections, where Netty's adaptive one keeps its own state per connection.
        .setReceiveBufferSize(RECEIVE_BUFFER_BYTES)
        // HTTP/1.1 only: WebSockets need nothing else, and the upgrade check would leave one more
        // Vert.x connection object on every peer's channel.
        .setHttp2ClearTextEnabled(false)
        // A silent HTTP connection is closed like at the edge; WebSocketUpgrade takes this timer
        // off an upgraded connection, whose pings are timed by SilenceWatch.
        .setIdleTimeout((int) SlowClientGuard.idleTimeoutMs(config.clientTimeout()))
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        .setTcpNoDelay(true);
    if (tls != null) {
      // HTTPS and WSS only: the WebSocket is upgraded over the TLS connection, whose handler stays
      // first in the pipeline when WebSocketUpgrade takes the connection over.
      tls.secure(options);
    }
    RequestFraming framing = new RequestFraming(options, observability.registry());
    return vertx.createHttpServer(options)
        .connectionHandler(connection -> {
          framing.guard(connection);
          slowClients.connected(connection);
        })
        .requestHandler(router)
        .invalidRequestHandler(meters.invalidRequests(framing.invalidRequests()))
        .listen()
        .recover(ListenFailure.naming("--port", options.getHost(), options.getPort()))
        .map(listening -> {
          server = listening;
          if (tls != null) {
            tls.watch(listening);
          }
          return this;
        });
  }

  /** The registry's rule, which also says which WebSockets are edges' (seeders). */
  private EdgeCredentials edgeCredentials() {
    return new EdgeCredentials(config.routing().edgeSecret(), config.routing().openRegistry());
  }

  private void mountEdgeRouting(Router router, EdgeCredentials credentials) {
    RoutingConfig routing = config.routing();
    EdgeRegistry edges = state.edges();
    EdgeEndpoints.mount(router, edges, credentials, routing.heartbeatExpiry());
    RouteTokens tokens = new RouteTokens(routing.accessSecret(), routing.accessPrefix(), config.secret(),
        routing.tokenTtl(), () -> nowMillis.getAsLong() / 1000);
    new RouteEndpoint(new EdgeRouter(edges, routing.epsilon()), tokens,
        new RoutingMetrics(observability.registry(), edges), this::viewerWebSocketUrl, routing.originUrl(),
        routing.turn().enabled() ? new TurnCredentials(routing.turn(), () -> nowMillis.getAsLong() / 1000) : null)
        .mount(router);
  }

  public int port() {
    return server.actualPort();
  }

  public String baseUrl() {
    return config.tls().httpScheme() + "://" + ("0.0.0.0".equals(config.host()) ? "127.0.0.1" : config.host()) + ":" + port();
  }

  /** Where peers connect: {@code ws://}, or {@code wss://} with TLS. */
  public String webSocketUrl() {
    return baseUrl().replaceFirst("^http", "ws") + WEBSOCKET_PATH;
  }

  /** The base URL viewers reach: the configured public URL, if any, else {@link #baseUrl()}. */
  public String viewerBaseUrl() {
    String publicUrl = config.routing().publicUrl();
    return publicUrl == null ? baseUrl() : publicUrl;
  }

  /** The WebSocket URL /route hands viewers: under the configured public URL, if any. */
  public String viewerWebSocketUrl() {
    String publicUrl = config.routing().publicUrl();
    return publicUrl == null ? webSocketUrl() : publicUrl.replaceFirst("^http", "ws") + WEBSOCKET_PATH;
  }

  /** Where WebTorrent clients announce. */
  public String webTorrentUrl() {
    return baseUrl().replaceFirst("^http", "ws") + WEBTORRENT_PATH;
  }

  public JsonObject status() {
    JsonObject status = new JsonObject()
        .put("swarms", state.ours().directory().swarmCount())
        .put("members", state.ours().directory().memberCount())
        .put("healthyEdges", state.edges().count(EdgeState.HEALTHY));
    if (webTorrent != null) {
      status.put("webtorrent", new JsonObject()
          .put("swarms", webTorrent.directory().swarmCount())
          .put("members", webTorrent.directory().memberCount()));
    }
    return status;
  }

  public Future<Void> stop() {
    if (tls != null) {
      tls.stop();
    }
    if (steering != null) {
      steering.stop();
    }
    return server == null ? Future.succeededFuture() : server.close();
  }
}
