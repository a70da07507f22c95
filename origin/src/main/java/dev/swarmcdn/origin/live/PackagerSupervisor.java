package dev.swarmcdn.origin.live;

import dev.swarmcdn.kit.run.ParentDeath;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one ffmpeg packager running: starts it, restarts it with backoff when it dies, and stops it
 * (SIGTERM, then SIGKILL after a bound) when told to or when the JVM shuts down; when the JVM dies
 * without shutting down, the kernel kills it ({@link ParentDeath}). Each run is a new
 * epoch. State changes happen on one Vert.x context; {@link #epoch()} and {@link #pid()} may be read
 * from anywhere.
 */
final class PackagerSupervisor {

  private static final Logger LOG = LoggerFactory.getLogger(PackagerSupervisor.class);

  /** ffmpeg finishes its current segment and playlist on SIGTERM in well under a second. */
  static final Duration STOP_BOUND = Duration.ofSeconds(5);

  private final Vertx vertx;
  private final Context context;
  private final String stream;
  private final Path workDir;
  private final Path logFile;
  private final Path epochFile;
  private final IntFunction<List<String>> commandForEpoch;
  private final RestartBackoff backoff;
  private final Counter restarts;
  private final Thread shutdownHook;

  private volatile Process process;
  private volatile int epoch;
  private boolean stopping;
  private boolean launching;
  private long restartTimer = -1;
  private Promise<Void> stopped;

  /** @param epochFile where the latest epoch started is kept, outside {@code workDir}, across runs */
  PackagerSupervisor(Vertx vertx, String stream, Path workDir, Path logFile, Path epochFile,
      IntFunction<List<String>> commandForEpoch, RestartBackoff backoff, Counter restarts) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.stream = stream;
    this.workDir = workDir;
    this.logFile = logFile;
    this.epochFile = epochFile;
    this.commandForEpoch = commandForEpoch;
    this.backoff = backoff;
    this.restarts = restarts;
    // Stops ffmpeg when the JVM exits without stop() (Ctrl-C in a test run, an exception in main):
    // a child left running would keep encoding, and keep writing into a folder the next start cleans.
    this.shutdownHook = new Thread(this::killOnShutdown, "packager-shutdown-" + stream);
  }

  /**
   * The epoch of the latest run started; before the first, the last epoch of an earlier origin run
   * on this folder, or 0. A higher epoch means the older runs exited.
   */
  int epoch() {
    return epoch;
  }

  /**
   * Continues the numbering of an earlier origin run on this folder: file names carry the epoch, and
   * edges may still cache the earlier run's files as immutable under those names. Before start().
   */
  void resumeAfter(int lastEpoch) {
    epoch = lastEpoch;
  }

  OptionalLong pid() {
    Process running = process;
    return running != null && running.isAlive() ? OptionalLong.of(running.pid()) : OptionalLong.empty();
  }

  Future<Void> start() {
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    Promise<Void> first = Promise.promise();
    context.runOnContext(v -> launch(first));
    return first.future();
  }

  /** Runs on the context. Starting a process forks: done on a worker thread. */
  private void launch(Promise<Void> started) {
    int next = epoch + 1;
    List<String> command = commandForEpoch.apply(next);
    launching = true;
    vertx.executeBlocking(() -> {
      Files.writeString(logFile, "--- epoch " + next + " starting at " + Instant.now() + ": "
          + String.join(" ", command) + System.lineSeparator(), StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      // Before ffmpeg writes a file of this epoch: a later origin run must not reuse its names.
      Files.writeString(epochFile, Integer.toString(next), StandardCharsets.US_ASCII);
      // Dies with the JVM even when no Java code runs at its end (kill -9): see ParentDeath.
      return ParentDeath.start(new ProcessBuilder(command)
          .directory(workDir.toFile())
          .redirectErrorStream(true)
          // Into a file, never a pipe: nobody would drain a pipe, and a full one blocks ffmpeg.
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))));
    }, false).onComplete(result -> {
      long startedAt = System.nanoTime();
      launching = false;
      if (result.failed()) {
        LOG.error("live {}: cannot start ffmpeg: {}", stream, result.cause().toString());
        started.tryComplete();
        if (stopping) {
          stopped.tryComplete();
        } else {
          scheduleRestart(Duration.ZERO, "live " + stream + ": ffmpeg could not start");
        }
        return;
      }
      Process child = result.result();
      process = child;
      epoch = next;
      LOG.info("live {}: packager epoch {} started, pid {}", stream, next, child.pid());
      started.tryComplete();
      if (stopping) {
        terminate(child);
      }
      child.onExit().thenRun(() -> context.runOnContext(v -> exited(child,
          Duration.ofNanos(System.nanoTime() - startedAt))));
    });
  }

  private void exited(Process child, Duration ran) {
    if (stopping) {
      stopped.tryComplete();
      return;
    }
    // Said when the restart is due, not now: Ctrl-C reaches ffmpeg (same process group) before
    // the origin is told to stop, and a clean stop is not a packager failure.
    String exit = "live " + stream + ": packager epoch " + epoch + " (pid " + child.pid() + ") exited with "
        + child.exitValue() + " after " + ran.toSeconds() + " s; see " + logFile;
    scheduleRestart(ran, exit);
  }

  private void scheduleRestart(Duration ran, String why) {
    if (stopping) {
      return;
    }
    long delay = Math.max(1, backoff.delayAfter(ran).toMillis());
    restartTimer = vertx.setTimer(delay, id -> {
      restartTimer = -1;
      if (!stopping) {
        LOG.warn("{}; restarting", why);
        restarts.increment();
        launch(Promise.promise());
      }
    });
  }

  /** SIGTERM now, SIGKILL if still alive after {@link #STOP_BOUND}; completes when it is gone. */
  Future<Void> stop() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      if (stopping) {
        stopped.future().onComplete(done);
        return;
      }
      stopping = true;
      stopped = Promise.promise();
      stopped.future().onComplete(ignored -> LOG.info("live {}: packager stopped", stream)).onComplete(done);
      if (restartTimer >= 0) {
        vertx.cancelTimer(restartTimer);
      }
      Process child = process;
      if (child != null && child.isAlive()) {
        terminate(child);
      } else if (!launching) {
        stopped.tryComplete();
      }
      // else: launch() sees stopping once the process exists and terminates it.
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running or about to: it does the same.
      }
    });
    return done.future();
  }

  private void terminate(Process child) {
    child.destroy();
    vertx.setTimer(STOP_BOUND.toMillis(), id -> {
      if (child.isAlive()) {
        LOG.warn("live {}: ffmpeg pid {} ignored SIGTERM, killing it", stream, child.pid());
        child.destroyForcibly();
      }
    });
  }

  private void killOnShutdown() {
    Process child = process;
    if (child == null || !child.isAlive()) {
      return;
    }
    child.destroy();
    try {
      if (!child.waitFor(STOP_BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
        child.destroyForcibly();
      }
    } catch (InterruptedException e) {
      child.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
