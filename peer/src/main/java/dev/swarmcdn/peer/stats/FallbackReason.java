package dev.swarmcdn.peer.stats;

import java.util.Locale;

/** Why a peer transfer was given up for another source. */
public enum FallbackReason {
  LATE, SLOW, STALLED, CLOSED, REJECTED, INTEGRITY, UNKNOWN;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
