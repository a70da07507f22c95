package dev.swarmcdn.tracker.swarm;

import dev.swarmcdn.tracker.signal.Relay;
import java.util.Objects;

/**
 * The swarms of one protocol and the relay between its peers, whose signals are {@code S}: in this
 * process, or shared by a cluster of trackers.
 */
public record SwarmState<S>(SwarmDirectory directory, Relay<S> relay) {

  public SwarmState {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(relay, "relay");
  }
}
