package dev.swarmcdn.tracker.swarm;

import dev.swarmcdn.protocol.tracker.SwarmId;
import dev.swarmcdn.tracker.locality.NetworkPrefix;
import java.util.Objects;

/**
 * One peer's entry in one swarm: what matching and steering need to know about it.
 *
 * @param edge         the edge it loads from, as it named it, or null where the protocol does not
 *                     say (WebTorrent)
 * @param network      its network prefix, or null when its address is unknown
 * @param uploadSlots  how many more peers it said it can serve
 * @param have         the newest segment sequence it reported, or null
 * @param complete     it holds all of the content (a WebTorrent seeder)
 * @param live         it plays a live playlist: steering may name it a fetcher, and tells it whom
 * @param seeder       an edge seeder (joined on a connection that carried the edge secret): listed
 *                     first while it has a free slot, steering's fallback fetcher
 */
public record Member(String peerId, SwarmId swarm, String edge, NetworkPrefix network, int uploadSlots, Long have,
    boolean complete, boolean live, boolean seeder) {

  public Member {
    Objects.requireNonNull(peerId, "peerId");
    // Thousands of members name a few swarms, edges and networks: they share one copy of each.
    swarm = SharedValues.swarm(Objects.requireNonNull(swarm, "swarm"));
    network = SharedValues.network(network);
    edge = edge == null ? null : edge.intern();
  }

  /** A viewer of neither live playlist nor edge, maybe complete (WebTorrent). */
  public Member(String peerId, SwarmId swarm, String edge, NetworkPrefix network, int uploadSlots, Long have,
      boolean complete) {
    this(peerId, swarm, edge, network, uploadSlots, have, complete, false, false);
  }

  /** A member that is not known to hold everything, not steered. */
  public Member(String peerId, SwarmId swarm, String edge, NetworkPrefix network, int uploadSlots, Long have) {
    this(peerId, swarm, edge, network, uploadSlots, have, false);
  }

  public Member withHave(long newest) {
    return new Member(peerId, swarm, edge, network, uploadSlots, newest, complete, live, seeder);
  }

  /** Told of the swarm's assignments: it plays the live playlist, or seeds it. */
  public boolean steered() {
    return live || seeder;
  }
}
