package dev.swarmcdn.peer.watch;

import dev.swarmcdn.kit.ops.Observability;
import dev.swarmcdn.kit.run.ShutdownHook;
import dev.swarmcdn.peer.engine.PeerEngine;
import dev.swarmcdn.peer.player.VirtualPlayer;
import dev.swarmcdn.peer.swarm.SessionFactory;
import dev.swarmcdn.peer.util.Clock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The desktop peer: an engine in the stream's swarm, driven by a virtual player that plays ahead as
 * hls.js would (so upcoming segments come from peers before they are due), and a local HTTP server
 * from which any player plays the stream with P2P underneath. Samples the engine every second for
 * the progress line and {@code /metrics}. Owns its Vert.x.
 */
public final class WatchPeer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WatchPeer.class);
  private static final long SAMPLE_MS = 1000;
  private static final long BOUND_SECONDS = 15;

  private final Vertx vertx;
  private final PeerEngine engine;
  private final VirtualPlayer player;
  private final Consumer<String> progress;
  private volatile EngineSample latest;
  private volatile boolean playing;
  private volatile LocalServer server;
  private Clock.Timer sampler;
  private boolean stopped;

  private WatchPeer(Vertx vertx, PeerEngine engine, VirtualPlayer player, Consumer<String> progress) {
    this.vertx = vertx;
    this.engine = engine;
    this.player = player;
    this.progress = progress;
  }

  /**
   * Joins the swarm, loads the stream and starts serving it locally; completes once the local
   * server listens.
   *
   * @param progress  takes the progress line every second (null: none)
   */
  public static Future<WatchPeer> start(WatchOptions options, SessionFactory sessions, Consumer<String> progress) {
    Observability observability = Observability.create();
    Vertx vertx = observability.newVertx(new VertxOptions());
    PeerEngine engine = PeerEngine.create(vertx, options.engine(), sessions);
    Promise<WatchPeer> started = Promise.promise();
    engine.execute(() -> {
      VirtualPlayer player = new VirtualPlayer(engine, new VirtualPlayer.Settings(options.rendition(),
          VirtualPlayer.Settings.DEFAULT.liveSyncCount(), VirtualPlayer.Settings.DEFAULT.maxBufferSeconds()),
          segment -> { })
          // The local player takes segments; the engine counts them delivered when it does.
          .handsOver(false);
      WatchPeer peer = new WatchPeer(vertx, engine, player, progress);
      peer.latest = EngineSample.of(engine);
      player.start(options.source())
          .compose(ignored -> peer.serve(options, observability))
          .onSuccess(ignored -> started.complete(peer))
          .onFailure(e -> peer.stop().onComplete(stopped -> vertx.close().onComplete(closed -> started.fail(
              e instanceof IllegalStateException ? e
                  : new IllegalStateException("cannot load " + options.source() + ": " + e.getMessage(), e)))));
    });
    return started.future();
  }

  /** On the engine's thread, once the player has the stream: the local server, then the samples. */
  private Future<Void> serve(WatchOptions options, Observability observability) {
    String resolved = player.masterUrl() != null ? player.masterUrl() : player.mediaUrl();
    UpstreamPaths paths = UpstreamPaths.of(options.source(), resolved);
    server = new LocalServer(vertx, engine, player, paths);
    WatchMetrics.bind(observability.registry(), () -> latest);
    playing = true;
    sample();
    return server.listen(options.listenHost(), options.listenPort(), observability, () -> playing,
        this::readyDetail).mapEmpty();
  }

  private JsonObject readyDetail() {
    EngineSample sample = latest;
    return new JsonObject().put("swarm", sample.stats().swarm()).put("tracker", sample.stats().tracker())
        .put("peers", sample.stats().peers());
  }

  private void sample() {
    if (stopped) {
      return;
    }
    EngineSample before = latest;
    latest = EngineSample.of(engine);
    if (progress != null) {
      progress.accept(ProgressLine.format(before, latest));
    }
    sampler = engine.clock().schedule(SAMPLE_MS, this::sample);
  }

  /** The local server's port. */
  public int port() {
    return server.port();
  }

  /** What a local player opens: the named playlist on the local server. */
  public String playlistUrl() {
    return server.url();
  }

  public PeerEngine engine() {
    return engine;
  }

  /** Leaves the swarm (BYE to every peer, the tracker closed) and stops serving; Vert.x stays open. */
  public Future<Void> stop() {
    Future<Void> left = engine.submit(() -> {
      stopped = true;
      playing = false;
      if (sampler != null) {
        sampler.cancel();
      }
      player.stop();
      engine.close();
      return null;
    });
    return left.eventually(() -> server == null ? Future.succeededFuture() : server.close())
        .onFailure(e -> LOG.warn("stopping: {}", e.toString()));
  }

  /** For the launcher: stopping this peer, then its Vert.x, in order. */
  public ShutdownHook.Part part() {
    return new ShutdownHook.Part("peer", vertx, this::stop);
  }

  @Override
  public void close() {
    try {
      stop().toCompletionStage().toCompletableFuture().get(BOUND_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("stopping: {}", e.toString());
    }
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(BOUND_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("closing Vert.x: {}", e.toString());
    }
  }
}
