package dev.swarmcdn.tracker;

import dev.swarmcdn.kit.ops.Observability;
import dev.swarmcdn.kit.ops.OpsRoutes;
import dev.swarmcdn.tracker.access.Hs256JoinTokens;
import dev.swarmcdn.tracker.access.JoinPolicy;
import dev.swarmcdn.tracker.locality.ClientAddressResolver;
import dev.swarmcdn.tracker.ops.RoutingMetrics;
import dev.swarmcdn.tracker.ops.TrackerMetrics;
import dev.swarmcdn.tracker.registry.EdgeEndpoints;
import dev.swarmcdn.tracker.registry.EdgeRegistry;
import dev.swarmcdn.tracker.registry.EdgeState;
import dev.swarmcdn.tracker.routing.EdgeRouter;
import dev.swarmcdn.tracker.routing.RouteEndpoint;
import dev.swarmcdn.tracker.routing.RouteTokens;
import dev.swarmcdn.tracker.session.SessionServices;
import dev.swarmcdn.tracker.session.TrackerSocketHandler;
import dev.swarmcdn.tracker.signal.Relay;
import dev.swarmcdn.tracker.signal.Signalling;
import dev.swarmcdn.tracker.swarm.SwarmDirectory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;

/**
 * The tracker, assembled: the WebSocket endpoint of our protocol at {@value #WEBSOCKET_PATH} over
 * one swarm directory and relay, the edge registry ({@code /edges}) and {@code /route} over one
 * edge registry, plus {@code /health}, {@code /ready} and {@code /metrics}. A second protocol
 * (WebTorrent's) would be another endpoint over the same directory and relay.
 */
public final class TrackerServer {

  public static final String WEBSOCKET_PATH = "/ws";

  private final Vertx vertx;
  private final TrackerConfig config;
  private final Observability observability;
  private final TrackerState state;
  private final LongSupplier nowMillis;
  private HttpServer server;

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
    TrackerLimits limits = config.limits();
    SwarmDirectory directory = state.directory();
    Relay relay = state.relay();
    TrackerMetrics metrics = new TrackerMetrics(observability.registry(), directory);
    JoinPolicy joinPolicy = config.secret() == null ? JoinPolicy.OPEN
        : new Hs256JoinTokens(config.secret().getBytes(StandardCharsets.UTF_8), () -> System.currentTimeMillis() / 1000);
    SessionServices services = new SessionServices(vertx, directory, relay,
        new Signalling(directory, relay, metrics), joinPolicy, metrics, limits, config.pingInterval(),
        config.missedPings());

    Router router = Router.router(vertx);
    // Ahead of the request meters: a WebSocket is a connection that lasts, not a request to time.
    router.get(WEBSOCKET_PATH).handler(new TrackerSocketHandler(services,
        ClientAddressResolver.trusting(config.trustedProxies())));
    router.route().handler(observability.newHttpServerMeters());
    OpsRoutes.mount(router, observability, () -> server != null, this::status);
    mountEdgeRouting(router);

    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.host())
        .setPort(config.port())
        // Netty refuses single frames past the hard limit; MessageAssembler bounds whole messages.
        .setMaxWebSocketFrameSize(limits.hardFrameBytes())
        .setMaxWebSocketMessageSize(limits.hardFrameBytes())
        // Compression would let a small frame inflate past every limit before we see it.
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false)
        .setCompressionSupported(false)
        .setTcpNoDelay(true);
    return vertx.createHttpServer(options)
        .requestHandler(router)
        .listen()
        .map(listening -> {
          server = listening;
          return this;
        });
  }

  private void mountEdgeRouting(Router router) {
    RoutingConfig routing = config.routing();
    EdgeRegistry edges = state.edges();
    EdgeEndpoints.mount(router, edges, routing.edgeSecret(), routing.heartbeatExpiry());
    RouteTokens tokens = new RouteTokens(routing.accessSecret(), routing.accessPrefix(), config.secret(),
        routing.tokenTtl(), () -> nowMillis.getAsLong() / 1000);
    new RouteEndpoint(new EdgeRouter(edges, routing.epsilon()), tokens,
        new RoutingMetrics(observability.registry(), edges), this::viewerWebSocketUrl, routing.originUrl())
        .mount(router);
  }

  public int port() {
    return server.actualPort();
  }

  public String baseUrl() {
    return "http://" + ("0.0.0.0".equals(config.host()) ? "127.0.0.1" : config.host()) + ":" + port();
  }

  /** Where peers connect. */
  public String webSocketUrl() {
    return baseUrl().replaceFirst("^http", "ws") + WEBSOCKET_PATH;
  }

  /** The WebSocket URL /route hands viewers: under the configured public URL, if any. */
  private String viewerWebSocketUrl() {
    String publicUrl = config.routing().publicUrl();
    return publicUrl == null ? webSocketUrl() : publicUrl.replaceFirst("^http", "ws") + WEBSOCKET_PATH;
  }

  public JsonObject status() {
    return new JsonObject()
        .put("swarms", state.directory().swarmCount())
        .put("members", state.directory().memberCount())
        .put("healthyEdges", state.edges().count(EdgeState.HEALTHY));
  }

  public Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
