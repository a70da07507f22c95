package dev.swarmcdn.tracker.swarm;

import dev.swarmcdn.tracker.signal.Relay;
import java.util.Objects;

/**
 * Where swarm state lives: who is in which swarm, and how a signal reaches a peer's connection.
 * In this process for one tracker, or shared by a cluster of trackers ({@code cluster} package);
 * the protocol handlers cannot tell which.
 */
public record SwarmState(SwarmDirectory directory, Relay relay) {

  public SwarmState {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(relay, "relay");
  }
}
