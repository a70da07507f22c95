package dev.swarmcdn.origin;

import dev.swarmcdn.kit.http.RepresentationResponder;
import dev.swarmcdn.kit.http.framing.RequestFraming;
import dev.swarmcdn.kit.http.tls.ServerTls;
import dev.swarmcdn.kit.ops.HttpServerMeters;
import dev.swarmcdn.kit.ops.Observability;
import dev.swarmcdn.kit.ops.OpsRoutes;
import dev.swarmcdn.kit.run.ListenFailure;
import dev.swarmcdn.origin.integrity.IntegrityKeys;
import dev.swarmcdn.origin.integrity.VodIntegrity;
import dev.swarmcdn.origin.live.LiveService;
import dev.swarmcdn.origin.media.MediaPath;
import dev.swarmcdn.origin.vod.VodHandler;
import dev.swarmcdn.protocol.integrity.PublicKeyDocument;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HLS origin: on-demand content under {@code /vod/}, live streams under {@code /live/}, the
 * integrity public key under {@code /keys/}, and the operational endpoints.
 *
 * <p>Requests enter {@link HttpEdgeRules} (methods, CORS), then go to the live or VOD handler, which
 * both answer through the shared {@link RepresentationResponder}.
 */
public final class OriginServer {

  /** Request line and header limits: big enough for signed URLs, small enough to refuse abuse. */
  static final int MAX_INITIAL_LINE = 8 * 1024;
  static final int MAX_HEADER_SIZE = 16 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(OriginServer.class);

  private final Vertx vertx;
  private final OriginConfig config;
  private final Observability observability;
  private final Consumer<Router> extraRoutes;
  private LiveService live;
  private HttpServer server;
  private ServerTls tls;

  /**
   * @param extraRoutes mounts further routes (the demo adds the player page); may be null
   */
  public OriginServer(Vertx vertx, OriginConfig config, Observability observability,
      Consumer<Router> extraRoutes) {
    this.vertx = vertx;
    this.config = config;
    this.observability = observability;
    this.extraRoutes = extraRoutes;
  }

  public Future<OriginServer> start() {
    // The TLS files first: a mistake in them is refused before anything else starts.
    Future<ServerTls> tlsLoaded = config.tls().enabled()
        ? ServerTls.loadAsync(vertx, "origin", config.tls(), ServerTls.CHECK_INTERVAL)
        : Future.succeededFuture();
    return tlsLoaded.compose(loaded -> {
          tls = loaded;
          return vertx.executeBlocking(() -> IntegrityKeys.loadOrCreate(config.signingKey()));
        })
        .compose(keys -> {
          RepresentationResponder responder = new RepresentationResponder();
          live = new LiveService(vertx, config, observability.registry(), responder, keys);
          VodIntegrity vodIntegrity = new VodIntegrity(vertx, keys);
          VodHandler vod = new VodHandler(new MediaPath(config.mediaRoot()), responder, vodIntegrity);

          Router router = Router.router(vertx);
          HttpServerMeters meters = observability.newHttpServerMeters();
          router.route().handler(meters);
          router.route().handler(new HttpEdgeRules());
          router.route().failureHandler(OriginServer::answerFailure);
          OpsRoutes.mount(router, observability, live::ready, live::status);
          router.route(PublicKeyDocument.PATH).method(HttpMethod.GET).method(HttpMethod.HEAD)
              .handler(ctx -> responder.respond(ctx.request(), keys.publicKeyDocument()));
          router.route("/live/*").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(live);
          router.route("/vod/*").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(vod);
          if (extraRoutes != null) {
            extraRoutes.accept(router);
          }
          router.route().last().handler(ctx -> ctx.response().setStatusCode(404)
              .putHeader("Content-Type", "text/plain; charset=utf-8").end("not found\n"));

          HttpServerOptions options = new HttpServerOptions()
              .setHost(config.host())
              .setPort(config.port())
              .setMaxInitialLineLength(MAX_INITIAL_LINE)
              .setMaxHeaderSize(MAX_HEADER_SIZE)
              .setCompressionSupported(false) // compression would defeat sendfile
              // HTTP/1.1 only, in clear or over TLS (ServerTls negotiates no ALPN): cleartext HTTP/2
              // upgrades gave HEAD requests a broken answer, and nothing here needs HTTP/2.
              .setHttp2ClearTextEnabled(false)
              .setTcpNoDelay(true)
              .setIdleTimeout(60);
          if (tls != null) {
            tls.secure(options);
          }
          RequestFraming framing = new RequestFraming(options, observability.registry());
          return live.start().compose(v -> vertx.createHttpServer(options)
              .connectionHandler(framing::guard)
              .requestHandler(router)
              .invalidRequestHandler(meters.invalidRequests(framing.invalidRequests()))
              .listen()
              .recover(ListenFailure.naming("--port", options.getHost(), options.getPort())));
        })
        .map(listening -> {
          server = listening;
          if (tls != null) {
            tls.watch(listening);
          }
          return this;
        });
  }

  /**
   * Whatever went wrong, the client gets a status and one plain line, never a stack trace; the log
   * gets the trace when the fault is ours (5xx).
   */
  private static void answerFailure(RoutingContext ctx) {
    int status = ctx.statusCode() < 400 ? 500 : ctx.statusCode();
    if (status >= 500) {
      LOG.error("{} {} failed", ctx.request().method(), ctx.request().uri(), ctx.failure());
    }
    HttpServerResponse response = ctx.response();
    if (response.closed()) {
      return;
    }
    if (response.headWritten()) {
      // Too late for a status: closing is the only way to tell the client the body is incomplete.
      ctx.request().connection().close();
      return;
    }
    response.headers().clear();
    HttpEdgeRules.putCommonHeaders(response);
    response.setStatusCode(status)
        .putHeader("Content-Type", "text/plain; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .end(HttpResponseStatus.valueOf(status).reasonPhrase() + "\n");
  }

  /** The bound port: differs from the configured one when that was 0. */
  public int port() {
    return server.actualPort();
  }

  public String baseUrl() {
    return config.tls().httpScheme() + "://" + ("0.0.0.0".equals(config.host()) ? "127.0.0.1" : config.host()) + ":" + port();
  }

  public JsonObject status() {
    return live.status();
  }

  /** Stops the HTTP server and every live packager (ffmpeg children included). */
  public Future<Void> stop() {
    if (tls != null) {
      tls.stop();
    }
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return closed.transform(ignored -> live == null ? Future.succeededFuture() : live.stop());
  }
}
