package dev.swarmcdn.kit.routing;

import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Consistent hashing with bounded loads (Mirrokni, Thorup, Zadimoghaddam 2018), shared by the
 * edges (which edge owns an object) and the tracker (which edge serves a stream's viewers).
 *
 * <p>Each member sits at {@value #POINTS_PER_MEMBER} points of a 64-bit ring (virtual nodes, so
 * that every member owns about the same share of keys); a key's <em>home</em> is the first member
 * clockwise from the key's hash. With loads, a key goes to the first member clockwise whose load is
 * under its bound, so a burst of hot keys that hash together spills to the next members instead of
 * swamping one. The bound of a member of weight {@code w} is
 * {@code ceil(max(floor, (1 + epsilon) * (L + 1) / W) * w)}, with {@code L} the sum of the members'
 * loads and {@code W} the sum of their weights: with equal weights and no floor, the paper's
 * {@code ceil((1 + epsilon) * average)} counting the key being placed. Weights are capacities: a
 * member may carry load in proportion to its weight. The floor keeps keys home while loads are too
 * small for balance to matter. The bounds add up to more than {@code L}, so some member is always
 * under its own.
 *
 * <p>Adding or removing a member moves only the keys it owns (when nothing is over its bound).
 * Ring positions depend on member ids only, never on weights: a weight that changes moves keys only
 * when load makes it matter, never at rest. Immutable; the caller keeps the loads.
 *
 * @param <M> what a member is; its id, from {@code idOf}, places it on the ring
 */
public final class BoundedLoadRing<M> {

  public static final int POINTS_PER_MEMBER = 128;

  private final TreeMap<Long, M> ring = new TreeMap<>();
  private final List<M> members;
  private final double epsilon;

  /**
   * @param epsilon how far above its fair share a member's load may go before keys spill, e.g. 0.25
   */
  public BoundedLoadRing(List<M> members, Function<M, String> idOf, double epsilon) {
    if (members.isEmpty()) {
      throw new IllegalArgumentException("a ring needs at least one member");
    }
    if (!(epsilon > 0)) {
      throw new IllegalArgumentException("epsilon must be positive");
    }
    this.members = List.copyOf(members);
    this.epsilon = epsilon;
    Set<String> ids = new HashSet<>();
    for (M member : this.members) {
      String id = idOf.apply(member);
      if (!ids.add(id)) {
        throw new IllegalArgumentException("two members named " + id);
      }
      for (int point = 0; point < POINTS_PER_MEMBER; point++) {
        ring.put(KeyHash.of(id + "#" + point), member);
      }
    }
  }

  public List<M> members() {
    return members;
  }

  /** Where {@code key} lives when load plays no part. */
  public M home(String key) {
    return clockwiseFrom(key).next();
  }

  /**
   * The first member clockwise from {@code key}'s hash whose load is under its bound (see the class
   * comment); the home if none is, which can only happen when loads change while this runs.
   *
   * @param floor  no bound is lower than {@code floor} times the member's weight: a member whose
   *               load is under that keeps its keys whatever the others carry
   */
  public M choose(String key, ToLongFunction<M> load, ToDoubleFunction<M> weight, double floor) {
    long totalLoad = 0;
    double totalWeight = 0;
    for (M member : members) {
      totalLoad += load.applyAsLong(member);
      totalWeight += weight.applyAsDouble(member);
    }
    double perWeight = Math.max(floor, (1 + epsilon) * (totalLoad + 1) / totalWeight);
    M home = null;
    for (Iterator<M> order = clockwiseFrom(key); order.hasNext(); ) {
      M candidate = order.next();
      if (home == null) {
        home = candidate;
      }
      long bound = (long) Math.ceil(perWeight * weight.applyAsDouble(candidate));
      if (load.applyAsLong(candidate) < bound) {
        return candidate;
      }
    }
    return home;
  }

  /** Distinct members in ring order from {@code key}'s hash, walked lazily. */
  private Iterator<M> clockwiseFrom(String key) {
    long hash = KeyHash.of(key);
    Iterator<M> tail = ring.tailMap(hash, true).values().iterator();
    Iterator<M> head = ring.headMap(hash, false).values().iterator();
    Set<M> seen = new HashSet<>();
    return new Iterator<>() {
      private M next = advance();

      private M advance() {
        while (seen.size() < members.size() && (tail.hasNext() || head.hasNext())) {
          M candidate = tail.hasNext() ? tail.next() : head.next();
          if (seen.add(candidate)) {
            return candidate;
          }
        }
        return null;
      }

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public M next() {
        if (next == null) {
          throw new NoSuchElementException();
        }
        M current = next;
        next = advance();
        return current;
      }
    };
  }
}
