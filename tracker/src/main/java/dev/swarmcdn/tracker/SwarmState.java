package dev.swarmcdn.tracker;

import dev.swarmcdn.tracker.signal.Relay;
import dev.swarmcdn.tracker.swarm.SwarmDirectory;
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
