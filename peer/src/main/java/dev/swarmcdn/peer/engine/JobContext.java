package dev.swarmcdn.peer.engine;

import dev.swarmcdn.peer.http.HttpSource;
import dev.swarmcdn.peer.integrity.IntegrityManifests;
import dev.swarmcdn.peer.scheduler.HttpEstimate;
import dev.swarmcdn.peer.stats.EngineStats;
import dev.swarmcdn.peer.store.SegmentStore;
import dev.swarmcdn.peer.swarm.PeerPool;
import dev.swarmcdn.peer.util.Clock;

/** What a {@link SegmentJob} uses of its engine. */
interface JobContext {
  Clock clock();

  /** Seconds of buffer that must be left after an HTTP fetch. */
  double httpWindow();

  /**
   * Whether this viewer fetches new live segment {@code sequence} of the swarm over HTTP at once,
   * rather than wait for the swarm (asked once per segment): the tracker's assignment when it made
   * one, else the engine's own rule.
   */
  boolean seeds(String swarm, long sequence);

  /** The tracker named other viewers for new live segment {@code sequence}. */
  boolean assignedElsewhere(String swarm, long sequence);

  /** The engine's own seeding rule, where no assignment decides. */
  boolean seedsOnItsOwn(String swarm);

  HttpEstimate httpEstimate();

  HttpSource http();

  SegmentStore store();

  IntegrityManifests integrity();

  EngineStats counters();

  /** The swarm's peers when P2P may be used for it, else null. */
  PeerPool pool(String swarm);

  /**
   * Until when this viewer is still joining the swarm: joined less than a grace period ago, no
   * viewer connected yet, and the tracker has not answered that there is nobody. 0 otherwise.
   */
  long joiningUntil(String swarm);

  /** Calls {@code listener} when a peer of the swarm changes (HAVE, new, gone); returns the unsubscribe. */
  Runnable onPeerChange(String swarm, Runnable listener);

  /** A peer proved to have sent wrong bytes: drop and report it. */
  void reportBad(String swarm, String peerId);
}
