package dev.swarmcdn.tracker.swarm;

import dev.swarmcdn.protocol.tracker.SwarmId;
import dev.swarmcdn.tracker.locality.NetworkPrefix;
import java.util.Objects;

/**
 * One peer's entry in one swarm: what matching needs to know about it.
 *
 * @param edge         the edge it loads from, as it named it, or null where the protocol does not
 *                     say (WebTorrent)
 * @param network      its network prefix, or null when its address is unknown
 * @param uploadSlots  how many more peers it said it can serve
 * @param have         the newest segment sequence it reported, or null
 * @param complete     it holds all of the content (a WebTorrent seeder)
 */
public record Member(String peerId, SwarmId swarm, String edge, NetworkPrefix network, int uploadSlots, Long have,
    boolean complete) {

  public Member {
    Objects.requireNonNull(peerId, "peerId");
    // Thousands of members name a few swarms, edges and networks: they share one copy of each.
    swarm = SharedValues.swarm(Objects.requireNonNull(swarm, "swarm"));
    network = SharedValues.network(network);
    edge = edge == null ? null : edge.intern();
  }

  /** A member that is not known to hold everything. */
  public Member(String peerId, SwarmId swarm, String edge, NetworkPrefix network, int uploadSlots, Long have) {
    this(peerId, swarm, edge, network, uploadSlots, have, false);
  }

  public Member withHave(long newest) {
    return new Member(peerId, swarm, edge, network, uploadSlots, newest, complete);
  }
}
