package dev.swarmcdn.peer.swarm;

/**
 * How a link ended.
 *
 * @param reason  the BYE reason sent or received, or {@code CLOSED} (the channel went away without
 *                one) or {@code TIMEOUT} (no HELLO in time)
 * @param remote  the other side ended it
 * @param detail  for the log: what broke a rule, when one did
 */
public record LinkClose(Reason reason, boolean remote, String detail) {

  /** The BYE reasons of docs/PROTOCOL.md, and two endings without a BYE. */
  public enum Reason {
    LEAVING, UNSUPPORTED_VERSION, WRONG_SWARM, PROTOCOL_ERROR, INTEGRITY, ENOUGH_PEERS, CLOSED, TIMEOUT
  }
}
