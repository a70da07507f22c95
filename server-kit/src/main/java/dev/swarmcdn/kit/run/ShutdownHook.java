package dev.swarmcdn.kit.run;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Keeps a server process alive until it is told to stop (Ctrl-C, SIGTERM), then stops its parts in
 * order, bounded in time, and closes Vert.x. Child processes such as ffmpeg are stopped by the parts
 * themselves.
 */
public final class ShutdownHook {

  private static final long STOP_BOUND_SECONDS = 15;

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

  /** Blocks the calling thread until the JVM is asked to exit; then runs {@code stop}. */
  public static void awaitExit(Vertx vertx, Supplier<Future<Void>> stop) {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      // Wait from this plain thread: a callback chained on a closing Vert.x would be scheduled on an
      // event loop that is already gone.
      awaitBounded(stop.get(), "stop");
      awaitBounded(vertx.close(), "closing Vert.x");
      stopped.countDown();
    }, "shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
