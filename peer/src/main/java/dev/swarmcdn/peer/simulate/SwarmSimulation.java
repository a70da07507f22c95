package dev.swarmcdn.peer.simulate;

import dev.swarmcdn.peer.engine.EngineOptions;
import dev.swarmcdn.peer.player.VirtualPlayer;
import dev.swarmcdn.peer.swarm.SessionFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Virtual viewers of one stream in one JVM: {@code viewers} engines joining evenly over
 * {@code rampUp}, each with a virtual player that consumes segments at real time, for
 * {@code duration} after the last joined; then every viewer leaves and their figures are added up.
 * The swarm benchmark drives this; {@code ./cdn peer simulate} runs it from the command line.
 */
public final class SwarmSimulation {

  /**
   * @param options  each viewer's engine options, by viewer index (e.g. a few slow uploaders)
   */
  public record Settings(String src, int viewers, Duration rampUp, Duration duration,
      IntFunction<EngineOptions> options, VirtualPlayer.Settings player) {
    public Settings {
      if (viewers < 1) {
        throw new IllegalArgumentException("at least one viewer");
      }
    }
  }

  /** Told every second while viewers play, with their current figures. */
  @FunctionalInterface
  public interface Progress {
    void report(long elapsedMs, SimulationReport now);
  }

  private final Vertx vertx;
  private final SessionFactory sessions;
  private final List<VirtualViewer> joined = new ArrayList<>();

  public SwarmSimulation(Vertx vertx, SessionFactory sessions) {
    this.vertx = vertx;
    this.sessions = sessions;
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
        joined.add(await(VirtualViewer.join(i, vertx, settings.options().apply(i), sessions, settings.player(),
            settings.src())));
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
        nextReport += 1000;
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
