package dev.swarmcdn.tracker.steering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.protocol.tracker.SwarmId;
import dev.swarmcdn.tracker.locality.NetworkPrefix;
import dev.swarmcdn.tracker.swarm.Member;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SwarmSteeringTest {

  private static final SwarmId SWARM = new SwarmId("live", "360p");

  private static NetworkPrefix net(int n) {
    return new NetworkPrefix("198.51." + n + ".0/24");
  }

  private static Member viewer(String id, NetworkPrefix network, int slots, Long have) {
    return new Member(id, SWARM, "edge-1", network, slots, have, false, true, false);
  }

  private static Member vod(String id, NetworkPrefix network, int slots, Long have) {
    return new Member(id, SWARM, "edge-1", network, slots, have, false, false, false);
  }

  private static Member seeder(String id, int slots, Long have) {
    return new Member(id, SWARM, "edge-1", net(250), slots, have, false, true, true);
  }

  /** Everyone holds {@code newest}: nobody misses anything. */
  private static List<Member> upTo(long newest, List<Member> members) {
    return members.stream().map(member -> member.withHave(newest)).toList();
  }

  /** Reports {@code newest} and assigns, as the tracker does. */
  private static SwarmSteering.Decision step(SwarmSteering steering, long newest, List<Member> members) {
    assertTrue(steering.claim(newest), "a report of " + newest + " makes a new segment");
    return steering.assign(newest, members).orElseThrow();
  }

  @Test
  void oneReportPerNewSegmentAssignsTheNextAndTheRestChangeNothing() {
    SwarmSteering steering = new SwarmSteering(1);
    List<Member> members = List.of(viewer("a", net(1), 2, 42L));
    assertTrue(steering.claim(42));
    assertFalse(steering.claim(42), "claimed already: a second report of it waits for nothing");
    SwarmSteering.Decision decision = steering.assign(42, members).orElseThrow();
    assertEquals(new SwarmSteering.Decision(43, List.of("a"), false, 0), decision);
    assertEquals(43, steering.assignedUpTo());
    assertFalse(steering.claim(42), "below what is assigned");
    assertTrue(steering.assign(41, members).isEmpty(), "a report older than the assignment assigns nothing");
    assertTrue(steering.claim(43), "the assigned segment itself reported: the one after is due");
    assertTrue(steering.claim(50), "a jump ahead too");
    assertEquals(51, steering.assign(50, upTo(50, members)).orElseThrow().sequence());
    assertFalse(new SwarmSteering(1).claim(SwarmSteering.MAX_SEQUENCE), "nothing past 2^53-1");
  }

  @Test
  void viewersTakeTurns() {
    SwarmSteering steering = new SwarmSteering(1);
    List<Member> members = List.of(viewer("a", net(1), 1, null), viewer("b", net(2), 1, null),
        viewer("c", net(3), 1, null));
    List<String> named = new ArrayList<>();
    for (long n = 10; n < 17; n++) {
      named.addAll(step(steering, n, upTo(n, members)).fetchers());
    }
    assertEquals(List.of("a", "b", "c", "a", "b", "c", "a"), named);

    // A newcomer queues behind those already there.
    List<Member> more = new ArrayList<>(members);
    more.add(viewer("d", net(4), 1, null));
    named.clear();
    for (long n = 17; n < 21; n++) {
      named.addAll(step(steering, n, upTo(n, more)).fetchers());
    }
    assertEquals(List.of("b", "c", "a", "d"), named);
  }

  @Test
  void noTwoFromOneNetworkWhileAnotherNetworkHasSomeone() {
    SwarmSteering steering = new SwarmSteering(2);
    List<Member> members = List.of(viewer("a1", net(1), 1, null), viewer("a2", net(1), 1, null),
        viewer("a3", net(1), 1, null), viewer("b1", net(2), 1, null));
    for (long n = 0; n < 8; n++) {
      List<String> named = step(steering, n, upTo(n, members)).fetchers();
      assertEquals(2, named.size());
      assertTrue(named.contains("b1"), "the only other network is in every pair: " + named);
    }
    // One network only: two from it, rather than one fetcher.
    SwarmSteering sameNetwork = new SwarmSteering(2);
    List<Member> home = List.of(viewer("a1", net(1), 1, null), viewer("a2", net(1), 1, null));
    assertEquals(List.of("a1", "a2"), step(sameNetwork, 0, upTo(0, home)).fetchers());
  }

  @Test
  void passedOverForItsNetworkAViewerKeepsItsPlace() {
    SwarmSteering steering = new SwarmSteering(2);
    List<Member> members = List.of(viewer("a1", net(1), 1, null), viewer("a2", net(1), 1, null),
        viewer("b1", net(2), 1, null), viewer("c1", net(3), 1, null));
    assertEquals(List.of("a1", "b1"), step(steering, 0, upTo(0, members)).fetchers());
    assertEquals(List.of("a2", "c1"), step(steering, 1, upTo(1, members)).fetchers(), "a2 is next, then c1");
  }

  @Test
  void kFetchersPerSegmentAllDistinctAndEveryoneServesInTurn() {
    SwarmSteering steering = new SwarmSteering(3);
    List<Member> members = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      members.add(viewer("v" + i, net(i), 1, null));
    }
    Map<String, Integer> times = new java.util.HashMap<>();
    for (long n = 0; n < 10; n++) {
      List<String> named = step(steering, n, upTo(n, members)).fetchers();
      assertEquals(3, named.size());
      assertEquals(3, new HashSet<>(named).size());
      named.forEach(id -> times.merge(id, 1, Integer::sum));
    }
    assertEquals(Map.of("v0", 6, "v1", 6, "v2", 6, "v3", 6, "v4", 6), times, "30 turns over 5 viewers");
  }

  @Test
  void aViewerThatMissedItsSegmentIsPassedOverForTenTurns() {
    SwarmSteering steering = new SwarmSteering(1);
    List<Member> members = List.of(viewer("a", net(1), 1, null), viewer("b", net(2), 1, null));
    assertEquals(List.of("a"), step(steering, 0, upTo(0, members)).fetchers());
    // Segment 1 was a's; b reports it first. No miss yet: a may still be loading it.
    SwarmSteering.Decision next = step(steering, 1, aStuckAt0(1));
    assertEquals(new SwarmSteering.Decision(2, List.of("b"), false, 0), next);
    // A segment later a still holds only 0: it missed 1.
    List<String> named = new ArrayList<>();
    for (long n = 2; n < 2 + SwarmSteering.MISS_PENALTY_TURNS + 1; n++) {
      SwarmSteering.Decision decision = step(steering, n, aStuckAt0(n));
      assertEquals(n == 2 ? 1 : 0, decision.missed(), "at " + n);
      named.addAll(decision.fetchers());
    }
    List<String> expected = new ArrayList<>(java.util.Collections.nCopies(SwarmSteering.MISS_PENALTY_TURNS, "b"));
    expected.add("a");
    assertEquals(expected, named, "ten turns passed over, then a's turn again");
  }

  /** a holds 0, b holds {@code newest}. */
  private static List<Member> aStuckAt0(long newest) {
    return List.of(viewer("a", net(1), 1, 0L), viewer("b", net(2), 1, newest));
  }

  @Test
  void aFetcherSecondToReportItsSegmentDidNotMissIt() {
    // K = 2: the first of the two to report a segment makes the next one; the other is still loading.
    SwarmSteering steering = new SwarmSteering(2);
    List<Member> members = List.of(viewer("a", net(1), 1, null), viewer("b", net(2), 1, null),
        viewer("c", net(3), 1, null), seeder("s", 2, null));
    List<String> last = List.of();
    Set<String> named = new HashSet<>();
    for (long n = 0; n < 30; n++) {
      // The segment n was reported first by someone else than its fetchers (the other fetcher, or the
      // seeder copying it out of the edge's cache): they are still loading it, and report it later.
      long newest = n;
      List<String> loading = last;
      List<Member> now = members.stream()
          .map(member -> member.withHave(loading.contains(member.peerId()) ? newest - 1 : newest)).toList();
      SwarmSteering.Decision decision = step(steering, n, now);
      assertEquals(0, decision.missed(), "at " + n);
      assertFalse(decision.seeder(), "at " + n);
      named.addAll(decision.fetchers());
      last = decision.fetchers();
    }
    assertEquals(Set.of("a", "b", "c"), named);
  }

  @Test
  void aMissAloneLeavesTheSeederAndAFullOrVodViewerIsNeverNamed() {
    SwarmSteering steering = new SwarmSteering(1);
    List<Member> members = List.of(viewer("a", net(1), 1, null), viewer("full", net(2), 0, null),
        vod("vod", net(3), 8, null), seeder("s", 2, null));
    assertEquals(List.of("a"), step(steering, 0, upTo(0, members)).fetchers());
    assertEquals(new SwarmSteering.Decision(2, List.of("a"), false, 0), step(steering, 1, aStuck(1, 1)),
        "a not judged yet: its turn again, the full and the VOD viewer never have one");
    assertEquals(new SwarmSteering.Decision(3, List.of("s"), true, 1), step(steering, 2, aStuck(2, 2)),
        "a missed 1: the seeder");
    // a catches up (it had 2 in time); the seeder misses 3: counted, but it stays the last resort.
    assertEquals(new SwarmSteering.Decision(4, List.of("s"), true, 0), step(steering, 3, upTo(3, members)));
    assertEquals(new SwarmSteering.Decision(5, List.of("s"), true, 1), step(steering, 4, List.of(
        viewer("a", net(1), 1, 4L), viewer("full", net(2), 0, 4L), vod("vod", net(3), 8, 4L), seeder("s", 2, 2L))));
  }

  /** a holds nothing, the others {@code newest}, the seeder {@code seederHas}. */
  private static List<Member> aStuck(long newest, long seederHas) {
    return List.of(viewer("a", net(1), 1, null), viewer("full", net(2), 0, newest), vod("vod", net(3), 8, newest),
        seeder("s", 2, seederHas));
  }

  @Test
  void seedersTakeTurnsThoseWithAFreeSlotFirst() {
    SwarmSteering steering = new SwarmSteering(2);
    List<Member> members = List.of(seeder("s1", 1, null), seeder("s2", 0, null), seeder("s3", 1, null),
        vod("vod", net(3), 8, null));
    List<String> named = new ArrayList<>();
    for (long n = 0; n < 4; n++) {
      SwarmSteering.Decision decision = step(steering, n, upTo(n, members));
      assertTrue(decision.seeder());
      named.addAll(decision.fetchers());
    }
    assertEquals(List.of("s1", "s3", "s1", "s3"), named, "one seeder per segment, whatever K");
  }

  @Test
  void withNobodyToNameTheSegmentIsSkipped() {
    SwarmSteering steering = new SwarmSteering(4);
    SwarmSteering.Decision skipped = step(steering, 7, List.of(vod("vod", net(1), 3, 7L),
        viewer("full", net(2), 0, 7L)));
    assertTrue(skipped.skipped());
    assertEquals(8, skipped.sequence());
    assertEquals(8, steering.assignedUpTo(), "counted once: a second report of 7 does not skip again");
    assertFalse(steering.claim(7));
  }

  @Test
  void whatItHoldsIsBoundedByTheMembersAtTheLastAssignment() {
    SwarmSteering steering = new SwarmSteering(16);
    List<Member> crowd = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      crowd.add(viewer("v" + i, net(i % 200), 1, null));
    }
    crowd.add(seeder("s", 1, null));
    crowd.add(vod("vod", net(1), 1, null));
    step(steering, 0, upTo(0, crowd));
    assertEquals(1001, steering.tracked(), "every live viewer and the seeder; not the VOD viewer");
    List<Member> few = upTo(1, crowd.subList(0, 3));
    SwarmSteering.Decision decision = step(steering, 1, few);
    assertEquals(3, steering.tracked(), "those gone are dropped at the next assignment");
    Set<String> named = Set.copyOf(decision.fetchers());
    assertEquals(few.stream().map(Member::peerId).collect(Collectors.toSet()), named,
        "fetchers gone since are not judged, the three left all named");
  }

  @Test
  void kIsOneToSixteen() {
    for (int k : new int[] {0, 17}) {
      assertEquals("fetchers must be 1 to 16",
          org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new SwarmSteering(k))
              .getMessage());
    }
  }
}
