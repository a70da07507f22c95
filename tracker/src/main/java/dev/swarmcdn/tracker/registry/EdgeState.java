package dev.swarmcdn.tracker.registry;

/** Whether an edge is in rotation. */
public enum EdgeState {
  /** Heard from within the expiry: viewers are routed to it. */
  HEALTHY,
  /** Silent for longer than the expiry: out of rotation until its next heartbeat. */
  MISSING;

  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
