package dev.swarmcdn.tracker.registry;

/**
 * One edge as the registry knows it at one moment.
 *
 * @param sequence      changes with every registration and heartbeat of this edge: routes handed
 *                      out are counted from it, since the load reported with it does not yet
 *                      include them
 * @param silentMillis  time since the edge was last heard from
 */
public record EdgeEntry(EdgeRegistration registration, EdgeLoad load, EdgeState state, long sequence,
    long silentMillis) {

  public String id() {
    return registration.id();
  }

  public String url() {
    return registration.url();
  }
}
