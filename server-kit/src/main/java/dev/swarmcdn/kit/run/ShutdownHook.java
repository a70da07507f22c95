package dev.swarmcdn.kit.run;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Keeps a server process alive until it is told to stop (Ctrl-C, SIGTERM), then stops its servers
 * in reverse order of start, each bounded in time, and closes their Vert.x instances. Child
 * processes such as ffmpeg are stopped by the servers themselves.
 */
public final class ShutdownHook {

  private static final long STOP_BOUND_SECONDS = 15;

  /** One server of the process: how to stop it, and the Vert.x it runs on (null: none of its own). */
  public record Part(String name, Vertx vertx, Supplier<Future<Void>> stop) {

    /** A part without Vert.x, such as a child process: {@code stop} ends it, bounded by itself. */
    public static Part of(String name, Runnable stop) {
      return new Part(name, null, () -> {
        stop.run();
        return Future.succeededFuture();
      });
    }

    /** Stops the server, then its Vert.x; waits from the calling thread, bounded. */
    public void close() {
      // Wait from this plain thread: a callback chained on a closing Vert.x would be scheduled on
      // an event loop that is already gone.
      awaitBounded(stop.get(), "stopping " + name);
      if (vertx != null) {
        awaitBounded(vertx.close(), "closing Vert.x of " + name);
      }
    }
  }

  private ShutdownHook() {}

  private static void awaitBounded(Future<Void> step, String what) {
    try {
      step.toCompletionStage().toCompletableFuture().get(STOP_BOUND_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      System.err.println(what + " did not finish cleanly: " + e);
    }
  }

  /** Stops parts in reverse order. */
  public static void closeAll(List<Part> parts) {
    List<Part> reversed = new ArrayList<>(parts);
    Collections.reverse(reversed);
    reversed.forEach(Part::close);
  }

  /** Blocks the calling thread until the JVM is asked to exit; then stops every part. */
  public static void awaitExit(List<Part> parts) {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      closeAll(parts);
      stopped.countDown();
    }, "shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
