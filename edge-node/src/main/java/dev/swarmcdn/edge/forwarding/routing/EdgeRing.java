package dev.swarmcdn.edge.forwarding.routing;

import dev.swarmcdn.kit.routing.BoundedLoadRing;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which edge owns an object: consistent hashing with bounded loads ({@link BoundedLoadRing}) over
 * the set of edges, all of equal weight.
 *
 * <p>Load is what this edge itself has in flight towards each member, itself included: every edge
 * bounds its own contribution, and no coordination is needed. A spilled key costs the origin a
 * second fetch, so the bound never drops below {@link #MIN_BOUND}: only a real pile-up spills.
 */
public final class EdgeRing {

  /** One edge of the set. */
  public record Member(String id, String baseUrl) {}

  static final int MIN_BOUND = 16;

  private final BoundedLoadRing<Member> ring;
  private final Map<String, AtomicInteger> loads = new HashMap<>();

  public EdgeRing(List<Member> members, double epsilon) {
    this.ring = new BoundedLoadRing<>(members, Member::id, epsilon);
    members.forEach(member -> loads.put(member.id(), new AtomicInteger()));
  }

  /** The owner of {@code key} now, given the loads in flight. */
  public Member owner(String key) {
    return ring.choose(key, member -> load(member.id()), member -> 1, MIN_BOUND);
  }

  /** The owner with no regard to load: where the key lives when nothing is in flight. */
  public Member home(String key) {
    return ring.home(key);
  }

  public List<Member> members() {
    return ring.members();
  }

  /** A request to {@code member} started. */
  public void begin(Member member) {
    loads.get(member.id()).incrementAndGet();
  }

  /** A request to {@code member} ended. */
  public void end(Member member) {
    loads.get(member.id()).decrementAndGet();
  }

  public int load(String memberId) {
    return loads.get(memberId).get();
  }
}
