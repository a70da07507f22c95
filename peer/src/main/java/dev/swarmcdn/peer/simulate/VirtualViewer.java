package dev.swarmcdn.peer.simulate;

import dev.swarmcdn.peer.engine.EngineOptions;
import dev.swarmcdn.peer.engine.PeerEngine;
import dev.swarmcdn.peer.player.PlaybackStats;
import dev.swarmcdn.peer.player.VirtualPlayer;
import dev.swarmcdn.peer.stats.StatsSnapshot;
import dev.swarmcdn.peer.swarm.SessionFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** One simulated viewer: an engine on its own context and the virtual player that drives it. */
public final class VirtualViewer {
  private final int index;
  private final PeerEngine engine;
  private VirtualPlayer player;
  private boolean left;

  private VirtualViewer(int index, PeerEngine engine) {
    this.index = index;
    this.engine = engine;
  }

  /** Starts a viewer of {@code src}; completes once it asked for the playlist. */
  public static Future<VirtualViewer> join(int index, Vertx vertx, EngineOptions options, SessionFactory sessions,
      VirtualPlayer.Settings settings, String src) {
    VirtualViewer viewer = new VirtualViewer(index, PeerEngine.create(vertx, options, sessions));
    return viewer.engine.submit(() -> {
      viewer.player = new VirtualPlayer(viewer.engine, settings, event -> { });
      viewer.player.start(src);
      return viewer;
    });
  }

  public int index() {
    return index;
  }

  public PeerEngine engine() {
    return engine;
  }

  /** The engine's and the player's figures, read on the engine's thread. */
  public Future<Snapshot> snapshot() {
    return engine.submit(() -> new Snapshot(index, engine.stats(), player.stats(), left));
  }

  /** Stops playing and leaves the swarm (BYE to every peer). */
  public Future<Void> leave() {
    return engine.submit(() -> {
      if (!left) {
        left = true;
        player.stop();
        engine.close();
      }
      return null;
    });
  }

  /** A viewer's figures at one moment. */
  public record Snapshot(int index, StatsSnapshot engine, PlaybackStats playback, boolean left) {
  }
}
