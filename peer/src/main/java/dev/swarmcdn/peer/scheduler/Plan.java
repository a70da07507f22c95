package dev.swarmcdn.peer.scheduler;

/** Where segment bytes come from now: the scheduler's answer to {@link Scheduler#planSegment}. */
public sealed interface Plan {

  /** Over HTTP, for this reason. */
  record Http(HttpReason reason) implements Plan {
  }

  /** From this peer, by {@code deadline} at the latest. */
  record FromPeer(String peer, long deadline) implements Plan {
  }

  /**
   * Wait for the swarm (a peer that is fetching it, or one that will announce it) until
   * {@code until}: the deadline, or a little before it when an edge seeder could rescue the segment.
   */
  record Wait(long until) implements Plan {
  }

  enum HttpReason {
    /** P2P is not used for this segment. */
    OFF,
    /** Too little time for a peer. */
    URGENT,
    NO_PEERS,
    SLOW_PEERS,
    /** This viewer was drawn to bring a new live segment into the swarm. */
    SEED,
    NOBODY_HAS_IT
  }
}
