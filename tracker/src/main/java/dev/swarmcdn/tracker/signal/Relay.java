package dev.swarmcdn.tracker.signal;

import dev.swarmcdn.protocol.tracker.ServerMessage;
import io.vertx.core.Future;

/**
 * Carries a signal to the connection of its peer, wherever that is. The in-memory relay knows the
 * connections of this instance; a clustered one would cross the event bus to the instance holding
 * the peer.
 */
public interface Relay {

  /** Makes the peer reachable. */
  void attach(PeerChannel channel);

  /** Makes the peer unreachable; nothing if it is not attached. */
  void detach(String peerId);

  /**
   * Hands the signal to the peer's connection.
   *
   * @return false if the peer is not connected (any more)
   */
  Future<Boolean> deliver(String peerId, ServerMessage.Signal signal);
}
