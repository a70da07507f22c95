package dev.swarmcdn.edge.forwarding.fill;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * Decides whether a body another edge sent may be served and cached as the object: for a fill whose
 * first upstream is the owner edge. What fails (or cannot be checked) is fetched from the origins.
 */
@FunctionalInterface
public interface PeerCheck {

  /** Completes with true only for bytes proven right; never fails. */
  Future<Boolean> check(Buffer body);
}
