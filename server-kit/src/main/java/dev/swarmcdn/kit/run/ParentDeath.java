package dev.swarmcdn.kit.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts child processes that die with this JVM, however it ends: a SIGTERM or a clean stop ends
 * them through the supervisor (and its shutdown hook), but a {@code kill -9}, the OOM killer or a
 * JVM crash runs no Java code, and an ffmpeg left behind is adopted by PID 1 and encodes on,
 * filling the disk with segments nobody publishes (the origin's live packager); a TURN server left
 * behind keeps its ports and relays for nobody (the demo's coturn).
 *
 * <p>How, on Linux without JNI: the child is started through util-linux's
 * {@code setpriv --pdeathsig KILL --}, which sets {@code PR_SET_PDEATHSIG} and then execs the real
 * command in the same process (so the pid, the exit status and SIGTERM all reach ffmpeg itself). The
 * kernel sends SIGKILL to the child when its parent dies. "Parent" means the <em>thread</em> that
 * forked it (prctl(2)): were it started from a pool thread that later retires, ffmpeg would be
 * killed in the middle of a healthy run. So every child is started from one daemon thread that lives
 * as long as the JVM; tasks reach it wrapped in a CompletableFuture, so no exception can end that
 * thread and make the pool replace it. Proven by {@code OriginProcessTest}, which kills a real origin
 * with SIGKILL and waits for its ffmpeg to end.
 *
 * <p>Left over: a JVM killed in the microseconds between the fork and setpriv's prctl leaves an
 * orphan; the next start of the origin on the same folder ends it (the origin's LiveStream). Without a
 * usable setpriv (not Linux, util-linux older than 2.33) children start as they are, with a warning.
 */
public final class ParentDeath {

  private static final Logger LOG = LoggerFactory.getLogger(ParentDeath.class);

  private static final ExecutorService SPAWNER = Executors.newSingleThreadExecutor(task -> {
    Thread thread = new Thread(task, "child-process-spawner");
    thread.setDaemon(true);
    return thread;
  });

  /** The prefix that makes a command die with us; empty when none is available. Found once. */
  private static volatile List<String> prefix;

  private ParentDeath() {}

  /** Starts {@code builder}'s command so that it dies with this JVM when the platform allows. */
  public static Process start(ProcessBuilder builder) throws IOException {
    List<String> command = new ArrayList<>(prefix());
    command.addAll(builder.command());
    ProcessBuilder wrapped = builder.command(command);
    try {
      return CompletableFuture.supplyAsync(() -> {
        try {
          return wrapped.start();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }, SPAWNER).get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UncheckedIOException io) {
        throw io.getCause();
      }
      throw new IOException("cannot start " + command.get(0), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting " + command.get(0), e);
    }
  }

  public static List<String> prefix() {
    List<String> known = prefix;
    if (known == null) {
      synchronized (ParentDeath.class) {
        known = prefix;
        if (known == null) {
          known = find();
          prefix = known;
        }
      }
    }
    return known;
  }

  private static List<String> find() {
    if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
      LOG.warn("not Linux: child processes (ffmpeg, coturn) would outlive a JVM killed with SIGKILL");
      return List.of();
    }
    Path setpriv = Executables.onPath("setpriv").orElse(null);
    if (setpriv == null) {
      LOG.warn("setpriv (util-linux) not found on PATH: child processes (ffmpeg, coturn) would outlive a JVM killed with SIGKILL");
      return List.of();
    }
    List<String> candidate = List.of(setpriv.toString(), "--pdeathsig", "KILL", "--");
    try {
      List<String> probe = new ArrayList<>(candidate);
      probe.add("true");
      Process process = new ProcessBuilder(probe)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      if (process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0) {
        return candidate;
      }
      process.destroyForcibly();
      LOG.warn("{} has no --pdeathsig (util-linux older than 2.33?): child processes would outlive a JVM"
          + " killed with SIGKILL", setpriv);
    } catch (IOException e) {
      LOG.warn("cannot run {}: child processes would outlive a JVM killed with SIGKILL: {}", setpriv, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return List.of();
  }
}
