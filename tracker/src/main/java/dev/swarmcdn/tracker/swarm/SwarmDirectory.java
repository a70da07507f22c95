package dev.swarmcdn.tracker.swarm;

import dev.swarmcdn.protocol.tracker.SwarmId;
import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Who is in which swarm. Asynchronous so that a directory shared by a cluster of trackers can
 * replace the in-memory one without touching the protocol handlers; those that speak to peers (our
 * own protocol and the WebTorrent one, each with a directory of its own) all go through this.
 */
public interface SwarmDirectory {

  /**
   * Adds the member, or replaces its entry if it is already in the swarm.
   *
   * @return false, changing nothing, when the swarm is full and the member is not in it
   */
  Future<Boolean> join(Member member);

  /**
   * The peers {@code asker} should connect to, best first (see {@link PeerSelector}), leaving out
   * those it reported and those reported by enough others ({@link SwarmReports}).
   */
  Future<List<Candidate>> peersFor(Member asker);

  /**
   * Records that {@code reporter} dropped each of {@code reported} for cause. Only reports of
   * members of the swarm other than the reporter count; they hold while the reported peer stays in
   * the swarm. Kept by the instance the reporter is connected to: other instances of a cluster do
   * not hear of them.
   *
   * @return the peers newly reported by {@code reporter}
   */
  Future<Set<String>> report(SwarmId swarm, String reporter, Collection<String> reported);

  /**
   * The members steering may name (docs/PROTOCOL.md, "Steering"): those that joined live or as
   * seeders, less those reports hide from everyone ({@link SwarmReports}, as this instance heard
   * them). Read once per new live segment.
   */
  Future<List<Member>> steered(SwarmId swarm);

  /** Records the newest segment a member holds; nothing if it is not in the swarm. */
  Future<Void> have(SwarmId swarm, String peerId, long newest);

  /** Removes a member; nothing if it is not in the swarm. An emptied swarm disappears. */
  Future<Void> leave(SwarmId swarm, String peerId);

  Future<Boolean> contains(SwarmId swarm, String peerId);

  /** Members and complete members of the swarm; {@link SwarmSize#EMPTY} for a swarm nobody is in. */
  Future<SwarmSize> size(SwarmId swarm);

  /** Swarms with at least one member, as this instance sees them. */
  int swarmCount();

  /** Memberships over all swarms (a peer in two swarms counts twice), as this instance sees them. */
  int memberCount();
}
