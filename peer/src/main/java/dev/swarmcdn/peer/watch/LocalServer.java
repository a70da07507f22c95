package dev.swarmcdn.peer.watch;

import dev.swarmcdn.kit.ops.Observability;
import dev.swarmcdn.kit.ops.OpsRoutes;
import dev.swarmcdn.peer.engine.Delivery;
import dev.swarmcdn.peer.engine.PeerEngine;
import dev.swarmcdn.peer.player.VirtualPlayer;
import dev.swarmcdn.kit.run.ListenFailure;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The desktop peer's HTTP server, what a local player (ffplay, mpv, VLC) opens: the stream's
 * playlists rewritten to point here, the played rendition's media playlist as the virtual player
 * last loaded it (so the local player never asks for a segment the engine does not know), its
 * segments from the engine, the rest passed through upstream; plus {@code /stats}, {@code /health},
 * {@code /ready} and {@code /metrics}.
 */
final class LocalServer {
  private static final Logger LOG = LoggerFactory.getLogger(LocalServer.class);

  private final Vertx vertx;
  private final PeerEngine engine;
  private final VirtualPlayer player;
  private final EngineSegments segments;
  private final UpstreamPaths paths;
  private final PlaylistRewriter rewriter;
  private final UpstreamProxy proxy;
  private HttpServer server;
  private String host;

  /** What the engine's thread decided for a request; the answer is written off it. */
  private sealed interface Answer permits Playlist, Segment, PassThrough {
  }

  private record Playlist(String text) implements Answer {
  }

  private record Segment(Future<Delivery> delivery) implements Answer {
  }

  /** @param target  the upstream URL on the engine's current edge (the first one's until a failover) */
  private record PassThrough(String target) implements Answer {
  }

  LocalServer(Vertx vertx, PeerEngine engine, VirtualPlayer player, UpstreamPaths paths) {
    this.vertx = vertx;
    this.engine = engine;
    this.player = player;
    this.segments = new EngineSegments(engine, player);
    this.paths = paths;
    this.rewriter = new PlaylistRewriter(paths);
    this.proxy = new UpstreamProxy(vertx, engine.options().trust());
  }

  Future<HttpServer> listen(String host, int port, Observability observability, BooleanSupplier ready,
      Supplier<JsonObject> readyDetail) {
    this.host = host;
    Router router = Router.router(vertx);
    router.route().handler(observability.newHttpServerMeters());
    OpsRoutes.mount(router, observability, ready, readyDetail);
    router.get("/stats").handler(this::stats);
    router.route().handler(ctx -> media(ctx.request()));
    return vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port).setCompressionSupported(false))
        .requestHandler(router)
        .listen()
        .recover(ListenFailure.naming("--listen", host, port))
        .onSuccess(listening -> server = listening);
  }

  int port() {
    return server.actualPort();
  }

  /** The named playlist here; a wildcard bind is reached on 127.0.0.1. */
  String url() {
    String shown = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host.contains(":") ? "[" + host + "]" : host;
    return "http://" + shown + ":" + port() + paths.masterPath();
  }

  private void stats(RoutingContext ctx) {
    engine.submit(() -> StatsJson.of(engine.stats()).encode()).onComplete(json -> {
      if (json.failed()) {
        LocalAnswers.error(ctx.response(), 500, "stats: " + json.cause().getMessage());
        return;
      }
      ctx.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
          .end(json.result());
    });
  }

  private void media(HttpServerRequest request) {
    if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
      request.response().putHeader("Allow", "GET, HEAD");
      LocalAnswers.error(request.response(), 405, request.method() + " is not served: GET or HEAD");
      return;
    }
    String path = request.path();
    if (!UpstreamPaths.safeLocal(path)) {
      LocalAnswers.error(request.response(), 400, "bad path: give an absolute path without dot segments");
      return;
    }
    String upstream = paths.upstream(path, request.query());
    engine.submit(() -> decide(path, upstream)).onComplete(decided -> {
      if (decided.failed()) {
        LOG.info("{}: {}", path, decided.cause().toString());
        LocalAnswers.error(request.response(), 502, path + ": " + decided.cause().getMessage());
        return;
      }
      answer(request, path, upstream, decided.result());
    });
  }

  /** On the engine's thread: what to answer, from what the virtual player and the engine know. */
  private Answer decide(String path, String upstream) {
    String master = player.masterUrl();
    if (path.equals(paths.masterPath()) && master != null && player.masterText() != null) {
      return new Playlist(rewriter.rewrite(player.masterText(), master));
    }
    String media = player.mediaUrl();
    if (media != null && (upstream.equals(media) || path.equals(paths.masterPath()) && master == null)) {
      String text = player.playlistText();
      return text == null ? new Playlist(null) : new Playlist(rewriter.rewrite(text, media));
    }
    Future<Delivery> delivery = segments.get(upstream);
    return delivery != null ? new Segment(delivery) : new PassThrough(engine.onCurrentEdge(upstream));
  }

  private void answer(HttpServerRequest request, String path, String upstream, Answer answer) {
    if (answer instanceof Playlist playlist) {
      if (playlist.text() == null) {
        request.response().putHeader("Retry-After", "1");
        LocalAnswers.error(request.response(), 503, "the playlist is not loaded yet");
      } else if (request.method() == HttpMethod.HEAD) {
        request.response().putHeader("Content-Type", LocalAnswers.PLAYLIST_TYPE).end();
      } else {
        LocalAnswers.playlist(request.response(), playlist.text());
      }
    } else if (answer instanceof Segment segment) {
      segment.delivery().onComplete(got -> {
        if (got.failed()) {
          LOG.info("segment {}: {}", path, got.cause().toString());
          LocalAnswers.error(request.response(), 502, path + ": " + got.cause().getMessage());
        } else {
          LocalAnswers.segment(request, path, got.result().data());
        }
      });
    } else if (answer instanceof PassThrough passThrough) {
      // Fetched where the engine loads from now; a playlist's URIs read against the URL the local
      // paths stand for, as the rewriter maps only the first edge's URLs to local ones.
      proxy.forward(request, passThrough.target(),
          path.endsWith(".m3u8") ? (text, fetched) -> rewriter.rewrite(text, upstream) : null);
    }
  }

  Future<Void> close() {
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return closed.eventually(proxy::close);
  }
}
