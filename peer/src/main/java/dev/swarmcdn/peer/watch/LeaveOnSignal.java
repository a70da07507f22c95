package dev.swarmcdn.peer.watch;

import dev.swarmcdn.kit.run.ShutdownHook;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/**
 * Keeps the desktop peer running until Ctrl-C (SIGINT) or SIGTERM, which first leave the swarm and
 * then exit. Not a shutdown hook: the JVM runs its hooks in no set order, and the WebRTC runtime's
 * hook closes every connection silently, which would swallow the BYEs. A second signal while
 * leaving exits at once.
 */
final class LeaveOnSignal {
  private LeaveOnSignal() {
  }

  /** Blocks until a signal has stopped {@code parts} and the JVM exits. */
  static void awaitExit(List<ShutdownHook.Part> parts) throws InterruptedException {
    AtomicBoolean leaving = new AtomicBoolean();
    try {
      for (String name : new String[] {"INT", "TERM"}) {
        Signal.handle(new Signal(name), signal -> {
          if (!leaving.compareAndSet(false, true)) {
            Runtime.getRuntime().halt(130);
          }
          // Off the signal thread: leaving waits for the engine's thread and for sockets.
          new Thread(() -> {
            try {
              ShutdownHook.closeAll(parts);
            } finally {
              System.exit(0);
            }
          }, "leave-swarm").start();
        });
      }
    } catch (IllegalArgumentException | UnsupportedOperationException unavailable) {
      // The JVM keeps these signals (-Xrs): the usual hook, BYEs as they come.
      ShutdownHook.awaitExit(parts);
      return;
    }
    new CountDownLatch(1).await();
  }
}
