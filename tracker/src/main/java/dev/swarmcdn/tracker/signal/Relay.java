package dev.swarmcdn.tracker.signal;

import io.vertx.core.Future;

/**
 * Carries a signal to the connection of its peer, wherever that is. The in-memory relay knows the
 * connections of this instance; a clustered one would cross the event bus to the instance holding
 * the peer (which is why a signal {@code S} is a value: a record or a string).
 */
public interface Relay<S> {

  /**
   * Makes the peer reachable under its id.
   *
   * @return false, changing nothing, when another channel holds that id
   */
  Future<Boolean> attach(PeerChannel<S> channel);

  /** Makes the peer unreachable; nothing if that channel does not hold its id (any more). */
  void detach(PeerChannel<S> channel);

  /**
   * Hands the signal to the peer's connection.
   *
   * @return {@link Delivery#NO_PEER} if the peer is not connected (any more),
   *     {@link Delivery#RECIPIENT_BUSY} if its connection refused it
   */
  Future<Delivery> deliver(String peerId, S signal);
}
