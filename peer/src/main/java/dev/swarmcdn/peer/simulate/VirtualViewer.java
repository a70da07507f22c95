package dev.swarmcdn.peer.simulate;

import dev.swarmcdn.peer.engine.EngineOptions;
import dev.swarmcdn.peer.engine.PeerEngine;
import dev.swarmcdn.peer.store.SharedSegments;
import dev.swarmcdn.peer.player.PlaybackStats;
import dev.swarmcdn.peer.player.VirtualPlayer;
import dev.swarmcdn.peer.stats.StatsSnapshot;
import dev.swarmcdn.peer.swarm.SessionFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/** One simulated viewer: an engine on its own context and the virtual player that drives it. */
public final class VirtualViewer {
  private final int index;
  private final PeerEngine engine;
  private VirtualPlayer player;
  private boolean left;
  // A stopped player's playhead still moves with the clock: a viewer that left is its figures then.
  private Snapshot atLeaving;
  /** The swarms of the segments played: the store keeps segments by swarm, P2P on or off. */
  private final Set<String> swarms = new HashSet<>();

  private VirtualViewer(int index, PeerEngine engine) {
    this.index = index;
    this.engine = engine;
  }

  /**
   * Starts a viewer of {@code src}; completes once it asked for the playlist. It tells
   * {@code onSegment} of every segment played, on the engine's thread.
   *
   * @param shared  the segment arrays the viewers of this JVM share
   */
  public static Future<VirtualViewer> join(int index, Vertx vertx, EngineOptions options, SessionFactory sessions,
      SharedSegments shared, VirtualPlayer.Settings settings, String src, Consumer<VirtualPlayer.SegmentEvent> onSegment) {
    VirtualViewer viewer = new VirtualViewer(index, PeerEngine.create(vertx, options, sessions, shared));
    return viewer.engine.submit(() -> {
      viewer.player = new VirtualPlayer(viewer.engine, settings, event -> {
        viewer.swarms.add(event.ref().swarm());
        onSegment.accept(event);
      });
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
    return engine.submit(() -> left ? atLeaving : new Snapshot(index, engine.stats(), player.stats(), false));
  }

  /** Stops playing and leaves the swarm (BYE to every peer). */
  public Future<Void> leave() {
    return engine.submit(() -> {
      if (!left) {
        left = true;
        player.stop();
        engine.close();
        atLeaving = new Snapshot(index, engine.stats(), player.stats(), true);
        // The simulation keeps every viewer that ever joined, for its figures: a closed engine's
        // segments would stay on the heap (a churning benchmark ran out of memory with them).
        swarms.forEach(swarm -> engine.store().dropBefore(swarm, Long.MAX_VALUE));
        player = null;
      }
      return null;
    });
  }

  /** A viewer's figures at one moment. */
  public record Snapshot(int index, StatsSnapshot engine, PlaybackStats playback, boolean left) {
  }
}
