package dev.swarmcdn.tracker.signal;

/** What became of a signal handed to the relay. */
public enum Delivery {
  /** Queued on the recipient's connection. */
  DELIVERED,
  /** The recipient is not a member of the swarm, or not connected (any more). */
  NO_PEER,
  /**
   * The recipient's connection holds as many relayed bytes unsent as it may: the signal is dropped
   * and its sender told, so that nobody can fill another peer's queue until it counts as a slow
   * reader and is cut off.
   */
  RECIPIENT_BUSY,
  /**
   * The recipient was relayed as many signals in the last second as it may, from all its senders
   * ({@code --max-signals-per-peer-per-second}): the signal is dropped and its sender told, so that
   * no crowd of senders can keep one peer's connection (and the tracker's loop) busy with signals.
   */
  RECIPIENT_FLOODED
}
