package dev.swarmcdn.peer.simulate;

import dev.swarmcdn.peer.engine.EngineOptions;
import dev.swarmcdn.peer.player.VirtualPlayer;
import dev.swarmcdn.peer.store.SharedSegments;
import dev.swarmcdn.peer.swarm.SessionFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Virtual viewers of one stream in one JVM: {@code viewers} engines joining evenly over
 * {@code rampUp}, each with a virtual player that consumes segments at real time, for
 * {@code duration} after the last joined, with viewers leaving and joining meanwhile if the
 * settings' {@link Churn} says so; then every viewer leaves and their figures are added up (a viewer
 * that left early counts with its figures as they were when it left). The swarm benchmark
 * ({@link SwarmBenchmark}) drives this; {@code ./cdn peer simulate} runs it from the command line.
 */
public final class SwarmSimulation {

  /**
   * @param options  each viewer's engine options, by viewer index (e.g. a few slow uploaders); viewers
   *                 joining through churn get the indices after the first {@code viewers}
   * @param churn    viewers leaving and joining after the ramp, {@link Churn#NONE} for none
   */
  public record Settings(String src, int viewers, Duration rampUp, Duration duration,
      IntFunction<EngineOptions> options, VirtualPlayer.Settings player, Churn churn) {
    public Settings {
      if (viewers < 1) {
        throw new IllegalArgumentException("at least one viewer");
      }
      if (churn == null) {
        churn = Churn.NONE;
      }
    }

    /** Without churn. */
    public Settings(String src, int viewers, Duration rampUp, Duration duration, IntFunction<EngineOptions> options,
        VirtualPlayer.Settings player) {
      this(src, viewers, rampUp, duration, options, player, Churn.NONE);
    }
  }

  /** Told of every segment a viewer's player plays, on that viewer's engine thread. */
  @FunctionalInterface
  public interface Played {
    Played NONE = (viewer, event) -> { };

    void played(int viewer, VirtualPlayer.SegmentEvent event);
  }

  /** Told every second while viewers play, with their current figures. */
  @FunctionalInterface
  public interface Progress {
    void report(long elapsedMs, SimulationReport now);
  }

  private final Vertx vertx;
  private final SessionFactory sessions;
  private final Played played;
  private final SharedSegments shared = SharedSegments.create();
  private final List<VirtualViewer> joined = new ArrayList<>();
  /** The joined viewers that have not left; the driver thread's alone. */
  private final List<VirtualViewer> playing = new ArrayList<>();

  public SwarmSimulation(Vertx vertx, SessionFactory sessions) {
    this(vertx, sessions, Played.NONE);
  }

  public SwarmSimulation(Vertx vertx, SessionFactory sessions, Played played) {
    this.vertx = vertx;
    this.sessions = sessions;
    this.played = played;
  }

  /** Runs the simulation on the calling thread (not a Vert.x thread); returns when every viewer left. */
  public SimulationReport run(Settings settings, Progress progress) throws Exception {
    long started = System.nanoTime();
    long rampMs = settings.rampUp().toMillis();
    long endMs = rampMs + settings.duration().toMillis();
    long nextReport = 1000;
    try {
      for (int i = 0; i < settings.viewers(); i++) {
        long joinAt = settings.viewers() == 1 ? 0 : rampMs * i / (settings.viewers() - 1);
        nextReport = waitUntil(started, joinAt, nextReport, progress);
        join(settings, i);
      }
      Churn churn = settings.churn();
      // Seeded: who leaves is the same in every run of the same settings, e.g. with P2P on and off.
      Random draw = new Random(settings.viewers());
      int nextIndex = settings.viewers();
      for (long at = rampMs + churn.every().toMillis(); churn.active() && at < endMs; at += churn.every().toMillis()) {
        nextReport = waitUntil(started, at, nextReport, progress);
        nextIndex = churn(settings, draw, nextIndex);
      }
      waitUntil(started, endMs, nextReport, progress);
      return snapshot();
    } finally {
      List<Future<Void>> leaving = new ArrayList<>();
      joined.forEach(viewer -> leaving.add(viewer.leave()));
      for (Future<Void> leave : leaving) {
        await(leave);
      }
    }
  }

  private void join(Settings settings, int index) throws Exception {
    VirtualViewer viewer = await(VirtualViewer.join(index, vertx, settings.options().apply(index), sessions,
        shared, settings.player(), settings.src(), event -> played.played(index, event)));
    joined.add(viewer);
    playing.add(viewer);
  }

  /** One round of churn: some viewers leave, others join; returns the next free viewer index. */
  private int churn(Settings settings, Random draw, int nextIndex) throws Exception {
    int leaving = (int) Math.round(settings.churn().leaveShare() * playing.size());
    List<Future<Void>> left = new ArrayList<>();
    for (int i = 0; i < leaving && !playing.isEmpty(); i++) {
      left.add(playing.remove(draw.nextInt(playing.size())).leave());
    }
    for (Future<Void> leave : left) {
      await(leave);
    }
    int joining = (int) Math.round(settings.churn().joinShare() * settings.viewers());
    for (int i = 0; i < joining; i++) {
      join(settings, nextIndex++);
    }
    return nextIndex;
  }

  /** The viewers joined so far. */
  public List<VirtualViewer> viewers() {
    return List.copyOf(joined);
  }

  /** Every joined viewer's figures now. */
  public SimulationReport snapshot() throws Exception {
    List<Future<VirtualViewer.Snapshot>> asked = new ArrayList<>();
    joined.forEach(viewer -> asked.add(viewer.snapshot()));
    List<VirtualViewer.Snapshot> snapshots = new ArrayList<>();
    for (Future<VirtualViewer.Snapshot> snapshot : asked) {
      snapshots.add(await(snapshot));
    }
    return SimulationReport.of(snapshots);
  }

  private long waitUntil(long started, long atMs, long nextReport, Progress progress) throws Exception {
    for (;;) {
      long elapsed = (System.nanoTime() - started) / 1_000_000;
      if (elapsed >= atMs) {
        return nextReport;
      }
      if (elapsed >= nextReport) {
        progress.report(elapsed, snapshot());
        // The next whole second: a driver that fell behind (a busy machine, a slow snapshot) skips
        // the reports it missed rather than sending them in a burst with one elapsed time.
        nextReport = (elapsed / 1000 + 1) * 1000;
        continue;
      }
      // The simulation's own clock: the driver thread waits for the next join or report.
      TimeUnit.MILLISECONDS.sleep(Math.min(atMs, nextReport) - elapsed);
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
