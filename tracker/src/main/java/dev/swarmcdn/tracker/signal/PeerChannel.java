package dev.swarmcdn.tracker.signal;

/**
 * A connected peer as the relay sees it: something a signal can be handed to. Each protocol has its
 * own relay and its own kind of signal {@code S}, which its channels write in its wire format.
 */
public interface PeerChannel<S> {

  String peerId();

  /**
   * Queues the signal on the peer's connection and returns at once: the sender's handling must not
   * wait for another peer's socket, or a peer that stops reading would stall everyone signalling it.
   *
   * @return {@link Delivery#DELIVERED}; or, queuing nothing, {@link Delivery#RECIPIENT_BUSY} when
   *     the relayed bytes the connection holds unsent are at their bound, or
   *     {@link Delivery#RECIPIENT_FLOODED} when it was relayed as many signals this second as it may
   */
  Delivery deliver(S signal);
}
