package dev.swarmcdn.tracker.swarm;

import dev.swarmcdn.protocol.tracker.SwarmId;
import dev.swarmcdn.tracker.locality.NetworkPrefix;
import java.util.Objects;

/**
 * One peer's entry in one swarm: what matching needs to know about it.
 *
 * @param edge         the edge it loads from, as it named it
 * @param network      its network prefix, or null when its address is unknown
 * @param uploadSlots  how many more peers it said it can serve
 * @param have         the newest segment sequence it reported, or null
 */
public record Member(String peerId, SwarmId swarm, String edge, NetworkPrefix network, int uploadSlots, Long have) {

  public Member {
    Objects.requireNonNull(peerId, "peerId");
    Objects.requireNonNull(swarm, "swarm");
    Objects.requireNonNull(edge, "edge");
  }

  public Member withHave(long newest) {
    return new Member(peerId, swarm, edge, network, uploadSlots, newest);
  }
}
