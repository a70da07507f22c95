package dev.swarmcdn.peer.testing;

import dev.swarmcdn.peer.engine.EngineOptions;
import dev.swarmcdn.peer.engine.PeerEngine;
import dev.swarmcdn.peer.player.PlaybackStats;
import dev.swarmcdn.peer.player.VirtualPlayer;
import dev.swarmcdn.peer.rtc.RtcRuntime;
import dev.swarmcdn.peer.stats.StatsSnapshot;
import dev.swarmcdn.peer.swarm.SessionFactory;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A Java viewer for tests: an engine and the virtual player that drives it, and every segment it played. */
public record JavaViewer(PeerEngine engine, VirtualPlayer player, List<VirtualPlayer.SegmentEvent> played) {

  /** Starts playing {@code masterUrl} with real WebRTC. */
  public static JavaViewer watch(Vertx vertx, String masterUrl, EngineOptions options) throws Exception {
    return watch(vertx, masterUrl, options, RtcRuntime.shared());
  }

  /**
   * Starts playing {@code src} (with the {@code route} option, a path the route's edge serves) on
   * {@code sessions}.
   */
  public static JavaViewer watch(Vertx vertx, String src, EngineOptions options, SessionFactory sessions)
      throws Exception {
    PeerEngine engine = PeerEngine.create(vertx, options, sessions);
    List<VirtualPlayer.SegmentEvent> played = new CopyOnWriteArrayList<>();
    VirtualPlayer player = engine.submit(() -> {
      VirtualPlayer p = new VirtualPlayer(engine, VirtualPlayer.Settings.DEFAULT, played::add);
      p.start(src);
      return p;
    }).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    return new JavaViewer(engine, player, played);
  }

  /** Runs {@code task} on the engine's thread and waits for it. */
  public <T> T call(Callable<T> task) throws Exception {
    return engine.submit(task).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  public StatsSnapshot stats() throws Exception {
    return call(engine::stats);
  }

  public PlaybackStats playback() throws Exception {
    return call(player::stats);
  }

  public void close() throws Exception {
    call(() -> {
      player.stop();
      engine.close();
      return null;
    });
  }
}
