package dev.swarmcdn.kit.run;

import io.vertx.core.Future;
import java.net.BindException;
import java.util.function.Function;

/**
 * Names the flag and the address a server could not listen on: the kernel's "Address already in
 * use" alone does not say which of a server's ports (HTTP, STUN) or which server of the demo it was.
 * The message starts with the flag, so the launcher also says where its value came from.
 */
public final class ListenFailure {
  private ListenFailure() {
  }

  /** For {@code Future.recover}: the failure to listen on {@code host:port}, set by {@code flag}. */
  public static <T> Function<Throwable, Future<T>> naming(String flag, String host, int port) {
    return failure -> Future.failedFuture(describe(flag, host, port, failure));
  }

  public static IllegalStateException describe(String flag, String host, int port, Throwable failure) {
    String why = inUse(failure) ? "the port is already in use" : failure.getMessage();
    return new IllegalStateException(flag + " " + port + ": cannot listen on " + host + ":" + port + ": " + why, failure);
  }

  private static boolean inUse(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof BindException || String.valueOf(cause.getMessage()).contains("Address already in use")) {
        return true;
      }
    }
    return false;
  }
}
