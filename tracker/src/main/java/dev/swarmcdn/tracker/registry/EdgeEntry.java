package dev.swarmcdn.tracker.registry;

import dev.swarmcdn.protocol.registry.EdgeLoad;
import dev.swarmcdn.protocol.registry.EdgeRegistration;
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

  /**
   * The entry of an edge last heard from at {@code heardAt}, as it stands at {@code now}: healthy
   * while silent for less than {@code expiryMillis}.
   */
  public static EdgeEntry at(EdgeRegistration registration, EdgeLoad load, long sequence, long heardAt, long now,
      long expiryMillis) {
    long silent = Math.max(0, now - heardAt);
    return new EdgeEntry(registration, load, silent < expiryMillis ? EdgeState.HEALTHY : EdgeState.MISSING,
        sequence, silent);
  }

  public String id() {
    return registration.id();
  }

  public String url() {
    return registration.url();
  }
}
