package dev.swarmcdn.tracker.access;

import dev.swarmcdn.protocol.tracker.SwarmId;
import java.util.Optional;

/** Decides whether a join may enter a swarm. */
public interface JoinPolicy {

  /** A tracker without a secret: anyone may join anything. */
  JoinPolicy OPEN = (token, swarm) -> Optional.empty();

  /**
   * @param token the join's token, or null
   * @return why the join is refused; empty if it may go ahead
   */
  Optional<JoinRefusal> check(String token, SwarmId swarm);
}
