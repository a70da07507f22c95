package dev.swarmcdn.tracker.steering;

import dev.swarmcdn.tracker.locality.NetworkPrefix;
import dev.swarmcdn.tracker.swarm.Member;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who of one swarm fetches its next live segment over HTTP (docs/PROTOCOL.md, "Steering"), so
 * that the others can take it from the swarm. Pure: it is handed the reports and the members, and
 * says whom to name; {@link Steerers} holds one per swarm and locks it, not thread-safe itself.
 *
 * <p>A report of a newest sequence {@code n} at or past what was last assigned makes a new
 * segment: {@code n + 1} is assigned, and reports below it change nothing ({@link #claim}, O(1)).
 * The fetchers are {@code K} live viewers that said they have a free upload slot, in rotation (a
 * queue: whoever is named, or passed over, goes to its back), spread over network prefixes (no two
 * from one prefix while a member of another qualifies), passing over those who missed their
 * previous assignment for their next {@value #MISS_PENALTY_TURNS} turns. With no such viewer, one
 * of the swarm's seeders (in rotation too); with nobody, no assignment.
 *
 * <p>A fetcher of {@code s} missed it when {@code s + 2} gets assigned (a segment later) and it
 * still reports less than {@code s}. Not already at {@code s + 1}: that is assigned at the first
 * report of {@code s}, which need not be the fetcher's own, as another of K fetchers, or the edge
 * seeder copying the segment out of the cache the fetcher's request filled, may report it first.
 *
 * <p>What it holds is bounded by the swarm: a place in the queue for each live viewer and seeder
 * seen at the last assignment (members gone since are dropped at the next), the fetchers of the
 * last two assignments (at most 2K) and two numbers.
 */
public final class SwarmSteering {

  /** Turns a member that missed its assignment is passed over. */
  public static final int MISS_PENALTY_TURNS = 10;
  /** Fetchers per segment at most: what an assign frame may name. */
  public static final int MAX_FETCHERS = 16;
  /** The highest sequence on the wire (2^53-1): nothing is assigned past it. */
  public static final long MAX_SEQUENCE = (1L << 53) - 1;

  private static final long NONE = -1;

  /**
   * A new segment and whom it went to.
   *
   * @param fetchers the members named, in the order picked; empty when nobody qualified (skipped)
   * @param seeder   the fetcher is a seeder, for want of a viewer
   * @param missed   fetchers of the assignment two before this one (or older) that missed theirs
   */
  public record Decision(long sequence, List<String> fetchers, boolean seeder, int missed) {

    public Decision {
      fetchers = List.copyOf(fetchers);
    }

    /** Nobody to name: no assign is sent. */
    public boolean skipped() {
      return fetchers.isEmpty();
    }
  }

  /** An assignment whose fetchers are judged a segment later. */
  private record Unjudged(long sequence, List<String> fetchers) {}

  /** A live viewer's place in the rotation. */
  private static final class Turn {
    /** Turns still to be passed over for a missed assignment. */
    int penalty;
  }

  private final int fetchers;
  /** Live viewers, next in turn first. */
  private final LinkedHashMap<String, Turn> viewers = new LinkedHashMap<>();
  /** Seeders, next in turn first. */
  private final LinkedHashSet<String> seeders = new LinkedHashSet<>();
  private long assignedUpTo = NONE;
  /** The newest report a caller went to fetch the members for: a second report of it waits for nothing. */
  private long claimedUpTo = NONE;
  /** The last assignments, oldest first, until judged: two at most. */
  private final ArrayDeque<Unjudged> unjudged = new ArrayDeque<>(2);

  /** @param fetchers K, 1 to {@value #MAX_FETCHERS} */
  public SwarmSteering(int fetchers) {
    if (fetchers < 1 || fetchers > MAX_FETCHERS) {
      throw new IllegalArgumentException("fetchers must be 1 to " + MAX_FETCHERS);
    }
    this.fetchers = fetchers;
  }

  /**
   * O(1): whether a member's report of {@code newest} makes a new segment, claimed for this caller,
   * which then fetches the members and calls {@link #assign}. A report of a sequence already
   * assigned, or already claimed, answers false.
   */
  public boolean claim(long newest) {
    if (newest < assignedUpTo || newest <= claimedUpTo || newest >= MAX_SEQUENCE) {
      return false;
    }
    claimedUpTo = newest;
    return true;
  }

  /** The sequence assigned last, or -1 before the first. */
  public long assignedUpTo() {
    return assignedUpTo;
  }

  /**
   * Assigns {@code newest + 1}.
   *
   * @param steered the swarm's members now that joined live or as seeders, less those reports hide
   *                from everyone; others are ignored
   * @return empty when {@code newest} is below what was assigned meanwhile (another report came
   *     first); else whom it went to, maybe nobody
   */
  public Optional<Decision> assign(long newest, Collection<Member> steered) {
    if (newest < assignedUpTo || newest >= MAX_SEQUENCE) {
      return Optional.empty();
    }
    long sequence = newest + 1;
    Map<String, Member> present = track(steered);
    int missed = judge(sequence, present);
    assignedUpTo = sequence;
    List<String> named = pickViewers(present);
    boolean bySeeder = false;
    if (named.isEmpty()) {
      String seeder = pickSeeder(present);
      if (seeder != null) {
        named = List.of(seeder);
        bySeeder = true;
      }
    }
    if (!named.isEmpty()) {
      unjudged.addLast(new Unjudged(sequence, named));
    }
    return Optional.of(new Decision(sequence, named, bySeeder, missed));
  }

  /** Members in the rotation: live viewers and seeders as of the last assignment. */
  public int tracked() {
    return viewers.size() + seeders.size();
  }

  /** Newcomers join the back of their queue; those gone leave it. */
  private Map<String, Member> track(Collection<Member> steered) {
    Map<String, Member> present = new HashMap<>(steered.size() * 2);
    for (Member member : steered) {
      if (member.seeder()) {
        present.put(member.peerId(), member);
        seeders.add(member.peerId());
      } else if (member.live()) {
        present.put(member.peerId(), member);
        viewers.computeIfAbsent(member.peerId(), id -> new Turn());
      }
    }
    viewers.keySet().removeIf(id -> !isViewer(present.get(id)));
    seeders.removeIf(id -> !isSeeder(present.get(id)));
    return present;
  }

  private static boolean isViewer(Member member) {
    return member != null && !member.seeder() && member.live();
  }

  private static boolean isSeeder(Member member) {
    return member != null && member.seeder();
  }

  /**
   * Judges the assignments at least two below {@code sequence}, now being assigned: a fetcher that
   * still reports less than its segment missed it, and a viewer that missed is passed over for its
   * next turns. Seeders are counted, never passed over: they are the last resort. Members gone
   * are not judged.
   */
  private int judge(long sequence, Map<String, Member> present) {
    int missed = 0;
    while (!unjudged.isEmpty() && unjudged.peekFirst().sequence() <= sequence - 2) {
      Unjudged due = unjudged.pollFirst();
      for (String id : due.fetchers()) {
        Member member = present.get(id);
        if (member != null && (member.have() == null || member.have() < due.sequence())) {
          missed++;
          Turn turn = viewers.get(id);
          if (turn != null) {
            turn.penalty = MISS_PENALTY_TURNS;
          }
        }
      }
    }
    return missed;
  }

  /**
   * Walks the queue from its front until K are named. Those named, and those that do not qualify
   * (no free slot, or paying for a miss: a turn passed), go to its back; those passed over only for
   * their prefix keep their place, and are named after all when a whole pass found too few other
   * prefixes.
   */
  private List<String> pickViewers(Map<String, Member> present) {
    List<String> named = new ArrayList<>(fetchers);
    List<String> sameNetwork = new ArrayList<>();
    List<String> toBack = new ArrayList<>();
    Set<NetworkPrefix> networks = new HashSet<>();
    Iterator<Map.Entry<String, Turn>> queue = viewers.entrySet().iterator();
    while (named.size() < fetchers && queue.hasNext()) {
      Map.Entry<String, Turn> next = queue.next();
      String id = next.getKey();
      Turn turn = next.getValue();
      Member member = present.get(id);
      if (turn.penalty > 0) {
        turn.penalty--;
        toBack.add(id);
      } else if (member.uploadSlots() <= 0) {
        toBack.add(id);
      } else if (member.network() != null && networks.contains(member.network())) {
        sameNetwork.add(id);
      } else {
        if (member.network() != null) {
          networks.add(member.network());
        }
        named.add(id);
        toBack.add(id);
      }
    }
    for (int i = 0; named.size() < fetchers && i < sameNetwork.size(); i++) {
      named.add(sameNetwork.get(i));
      toBack.add(sameNetwork.get(i));
    }
    for (String id : toBack) {
      viewers.put(id, viewers.remove(id));
    }
    return named;
  }

  /** The next seeder in turn, one with a free slot if any has. */
  private String pickSeeder(Map<String, Member> present) {
    String chosen = null;
    for (String id : seeders) {
      if (present.get(id).uploadSlots() > 0) {
        chosen = id;
        break;
      }
      if (chosen == null) {
        chosen = id;
      }
    }
    if (chosen != null) {
      seeders.remove(chosen);
      seeders.add(chosen);
    }
    return chosen;
  }
}
