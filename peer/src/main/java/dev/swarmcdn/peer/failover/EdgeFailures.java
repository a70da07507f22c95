package dev.swarmcdn.peer.failover;

import dev.swarmcdn.peer.http.HttpError;
import io.vertx.core.VertxException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/**
 * What makes an engine leave its edge (docs/ARCHITECTURE.md, "Failover"): the edge did not answer
 * (connection refused, reset or closed, a timeout) or answered 5xx. A 4xx is the request's fault,
 * not the edge's (another edge would refuse it too), and an abort is the engine's own doing.
 */
public final class EdgeFailures {
  private EdgeFailures() {
  }

  public static boolean isEdgeFailure(Throwable failure) {
    if (failure instanceof HttpError answered) {
      // Status 0 is this engine's abort; 200/206 are answers that cannot be used (UnusableRange).
      return answered.status() >= 500;
    }
    // Refused and reset connections are IOExceptions, a connection closed mid-answer is Vert.x's
    // HttpClosedException, connect, idle and request timeouts are TimeoutExceptions.
    return failure instanceof IOException || failure instanceof VertxException || failure instanceof TimeoutException;
  }
}
