package dev.swarmcdn.protocol.peer;

import java.util.Locale;

/** Why a BYE closes the channel; the wire byte is the ordinal: append new reasons, never reorder. */
public enum ByeReason {
  /** The viewer is going away (page closed, stream or rendition switched). */
  LEAVING,
  /** The other's HELLO has a version this peer does not speak. */
  UNSUPPORTED_VERSION,
  /** The other's HELLO names another swarm. */
  WRONG_SWARM,
  /** The other sent a frame that does not decode, or broke a rule of the connection. */
  PROTOCOL_ERROR,
  /** The other sent a segment that failed its integrity check. */
  INTEGRITY,
  /** This peer keeps a bounded set of peers and drops the other for a better one. */
  ENOUGH_PEERS;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
