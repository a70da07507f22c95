package dev.swarmcdn.peer.tracker;

import java.util.Locale;

/** The tracker connection, as {@code getStats().tracker} names it. */
public enum TrackerState {
  CONNECTING, OPEN, CLOSED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
