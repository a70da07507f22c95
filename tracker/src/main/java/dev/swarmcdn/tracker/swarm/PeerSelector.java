package dev.swarmcdn.tracker.swarm;

import dev.swarmcdn.protocol.tracker.Locality;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.Predicate;

/**
 * Chooses whom a peer should connect to. Edge seeders with a free upload slot first (engines ask
 * them only as a rescue from HTTP, so they must be at hand); then closest first (same edge, then
 * same network prefix, then anyone; a peer whose edge is unknown is never behind the same edge),
 * and among equally close peers the one holding the newest segment. Peers with no free upload slot
 * are left out whenever a viewer (not a seeder) could serve. Remaining ties are broken at random,
 * so that the first peers to join are not handed to every newcomer.
 */
public final class PeerSelector {

  private static final Comparator<Candidate> PREFERENCE = Comparator
      .comparing((Candidate candidate) -> !servingSeeder(candidate.member()))
      .thenComparing(Candidate::locality)
      .thenComparing(candidate -> candidate.member().have(), Comparator.nullsLast(Comparator.reverseOrder()));

  private final int limit;
  private final Random random;

  /** @param limit longest list handed out */
  public PeerSelector(int limit, Random random) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive");
    }
    this.limit = limit;
    this.random = random;
  }

  /** Best first, without {@code asker}, at most {@code limit}. */
  public List<Candidate> select(Member asker, Collection<Member> members) {
    return select(asker, members, member -> true);
  }

  /**
   * Best first among the members {@code shown} lets through, without {@code asker}, at most
   * {@code limit}. Left out before the limit applies, so a hidden peer never shortens a list.
   */
  public List<Candidate> select(Member asker, Collection<Member> members, Predicate<Member> shown) {
    Predicate<Member> eligible = member -> !member.peerId().equals(asker.peerId()) && shown.test(member);
    // Seeders do not count: a seeder is a rescue, not a peer to take a swarm's segments from.
    boolean anyCanServe = members.stream()
        .anyMatch(member -> !member.seeder() && member.uploadSlots() > 0 && eligible.test(member));
    List<Candidate> candidates = new ArrayList<>(members.size());
    for (Member member : members) {
      if ((member.uploadSlots() > 0 || !anyCanServe) && eligible.test(member)) {
        candidates.add(new Candidate(member, localityOf(asker, member)));
      }
    }
    Collections.shuffle(candidates, random);
    // List.sort is stable: the shuffle decides among equals.
    candidates.sort(PREFERENCE);
    return List.copyOf(candidates.subList(0, Math.min(limit, candidates.size())));
  }

  private static boolean servingSeeder(Member member) {
    return member.seeder() && member.uploadSlots() > 0;
  }

  static Locality localityOf(Member asker, Member other) {
    if (asker.edge() != null && asker.edge().equals(other.edge())) {
      return Locality.EDGE;
    }
    if (asker.network() != null && Objects.equals(asker.network(), other.network())) {
      return Locality.NETWORK;
    }
    return Locality.ANY;
  }
}
