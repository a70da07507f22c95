package dev.swarmcdn.tracker.signal;

import dev.swarmcdn.protocol.tracker.ServerMessage;

/**
 * A connected peer as the relay sees it: something a signal can be handed to. Each protocol
 * handler writes the signal in its own wire format.
 */
public interface PeerChannel {

  String peerId();

  /**
   * Queues the signal on the peer's connection and returns at once: the sender's handling must not
   * wait for another peer's socket, or a peer that stops reading would stall everyone signalling it.
   */
  void deliver(ServerMessage.Signal signal);
}
