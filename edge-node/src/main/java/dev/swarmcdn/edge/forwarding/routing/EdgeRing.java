package dev.swarmcdn.edge.forwarding.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which edge owns an object: consistent hashing with bounded loads (Mirrokni, Thorup, Zadimoghaddam
 * 2018). Each member sits at many points of a 64-bit ring; a key belongs to the first member
 * clockwise from its hash whose load is under {@code ceil((1 + epsilon) * average)}, so a burst of
 * hot keys that hash together spills to the next members instead of swamping one.
 *
 * <p>Load is what this edge itself has in flight towards each member, itself included: every edge
 * bounds its own contribution, and no coordination is needed. A spilled key costs the origin a
 * second fetch, so the bound never drops below {@link #MIN_BOUND}: only a real pile-up spills.
 * Adding or removing a member moves only the keys that member owns.
 */
public final class EdgeRing {

  /** One edge of the set. */
  public record Member(String id, String baseUrl) {}

  private static final int POINTS_PER_MEMBER = 128;
  static final int MIN_BOUND = 16;

  private final TreeMap<Long, Member> ring = new TreeMap<>();
  private final Map<String, AtomicInteger> loads = new ConcurrentHashMap<>();
  private final AtomicInteger totalLoad = new AtomicInteger();
  private final double epsilon;
  private final int members;

  public EdgeRing(List<Member> members, double epsilon) {
    if (members.isEmpty()) {
      throw new IllegalArgumentException("a ring needs at least one member");
    }
    if (epsilon <= 0) {
      throw new IllegalArgumentException("epsilon must be positive");
    }
    for (Member member : members) {
      loads.put(member.id(), new AtomicInteger());
      for (int point = 0; point < POINTS_PER_MEMBER; point++) {
        ring.put(KeyHash.of(member.id() + "#" + point), member);
      }
    }
    this.members = members.size();
    this.epsilon = epsilon;
  }

  /** The owner of {@code key} now, given the loads in flight. */
  public Member owner(String key) {
    int bound = Math.max(MIN_BOUND,
        (int) Math.ceil((1 + epsilon) * (totalLoad.get() + 1) / (double) members));
    long hash = KeyHash.of(key);
    Member first = null;
    for (Member candidate : clockwiseFrom(hash)) {
      if (first == null) {
        first = candidate;
      }
      if (loads.get(candidate.id()).get() < bound) {
        return candidate;
      }
    }
    return first;
  }

  /** The owner with no regard to load: where the key lives when nothing is in flight. */
  public Member home(String key) {
    return clockwiseFrom(KeyHash.of(key)).get(0);
  }

  /** Distinct members in ring order starting at {@code hash}. */
  private List<Member> clockwiseFrom(long hash) {
    List<Member> order = new ArrayList<>(members);
    for (Member member : ring.tailMap(hash, true).values()) {
      if (!order.contains(member)) {
        order.add(member);
        if (order.size() == members) {
          return order;
        }
      }
    }
    for (Member member : ring.values()) {
      if (!order.contains(member)) {
        order.add(member);
        if (order.size() == members) {
          break;
        }
      }
    }
    return order;
  }

  /** A request to {@code member} started. */
  public void begin(Member member) {
    loads.get(member.id()).incrementAndGet();
    totalLoad.incrementAndGet();
  }

  /** A request to {@code member} ended. */
  public void end(Member member) {
    loads.get(member.id()).decrementAndGet();
    totalLoad.decrementAndGet();
  }

  public int load(String memberId) {
    return loads.get(memberId).get();
  }
}
