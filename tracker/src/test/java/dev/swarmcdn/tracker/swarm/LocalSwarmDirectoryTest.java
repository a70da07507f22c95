package dev.swarmcdn.tracker.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.protocol.tracker.SwarmId;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LocalSwarmDirectoryTest {

  private static final SwarmId SWARM = new SwarmId("demo", "360p");
  private static final SwarmId OTHER = new SwarmId("demo", "720p");

  private final LocalSwarmDirectory directory = new LocalSwarmDirectory(2, 2, new PeerSelector(20, new Random(1)));

  private static Member member(String id, SwarmId swarm) {
    return new Member(id, swarm, "edge-1", null, 1, null);
  }

  private static <T> T now(io.vertx.core.Future<T> future) {
    assertTrue(future.isComplete(), "the in-memory directory answers at once");
    return future.result();
  }

  @Test
  void aFullSwarmAdmitsNoNewcomerButLetsMembersRefresh() {
    assertTrue(now(directory.join(member("a", SWARM))));
    assertTrue(now(directory.join(member("b", SWARM))));
    assertFalse(now(directory.join(member("c", SWARM))));
    assertFalse(now(directory.contains(SWARM, "c")));
    assertTrue(now(directory.join(new Member("a", SWARM, "edge-2", null, 5, 3L))));
    assertEquals(2, directory.memberCount());
    assertEquals(List.of("edge-2"), now(directory.peersFor(member("b", SWARM))).stream()
        .map(c -> c.member().edge()).toList());
    assertTrue(now(directory.join(member("c", OTHER))), "another swarm has its own bound");
  }

  @Test
  void haveUpdatesOnlyMembers() {
    directory.join(member("a", SWARM));
    directory.have(SWARM, "a", 12);
    directory.have(SWARM, "ghost", 99);
    directory.have(OTHER, "a", 99);
    assertEquals(12L, now(directory.peersFor(member("b", SWARM))).get(0).member().have());
    assertEquals(1, directory.memberCount());
    assertEquals(1, directory.swarmCount());
  }

  @Test
  void leavingEmptiesAndDropsTheSwarm() {
    directory.join(member("a", SWARM));
    directory.join(member("a", OTHER));
    directory.join(member("b", SWARM));
    assertEquals(2, directory.swarmCount());
    assertEquals(3, directory.memberCount());
    directory.leave(SWARM, "a");
    directory.leave(SWARM, "a");
    directory.leave(OTHER, "a");
    assertEquals(1, directory.swarmCount());
    assertEquals(1, directory.memberCount());
    assertFalse(now(directory.contains(SWARM, "a")));
    assertTrue(now(directory.peersFor(member("x", OTHER))).isEmpty());
  }

  @Test
  void sizesCountCompleteMembersThroughRefreshesAndLeaves() {
    LocalSwarmDirectory big = new LocalSwarmDirectory(10, 2, new PeerSelector(20, new Random(1)));
    assertEquals(SwarmSize.EMPTY, now(big.size(SWARM)));
    now(big.join(member("a", SWARM)));
    now(big.join(new Member("b", SWARM, null, null, 1, null, true)));
    assertEquals(new SwarmSize(2, 1), now(big.size(SWARM)));
    now(big.join(new Member("a", SWARM, null, null, 1, null, true)));
    now(big.join(new Member("b", SWARM, null, null, 1, null, true)));
    assertEquals(new SwarmSize(2, 2), now(big.size(SWARM)));
    now(big.leave(SWARM, "a"));
    assertEquals(new SwarmSize(1, 1), now(big.size(SWARM)));
    assertEquals(0, now(big.size(SWARM)).incomplete());
    now(big.leave(SWARM, "b"));
    assertEquals(SwarmSize.EMPTY, now(big.size(SWARM)));
  }

  private List<String> listedTo(LocalSwarmDirectory in, String asker) {
    return now(in.peersFor(member(asker, SWARM))).stream().map(c -> c.member().peerId()).sorted().toList();
  }

  @Test
  void aReportedPeerIsHiddenFromItsReporterAndFromAllOnceEnoughReportedIt() {
    LocalSwarmDirectory big = new LocalSwarmDirectory(10, 2, new PeerSelector(20, new Random(1)));
    for (String id : List.of("a", "b", "c", "d", "bad")) {
      now(big.join(member(id, SWARM)));
    }
    now(big.join(member("bad", OTHER)));
    now(big.join(member("a", OTHER)));

    assertEquals(Set.of("bad"), now(big.report(SWARM, "a", List.of("bad", "a", "nobody"))),
        "only a member other than the reporter is reported");
    assertEquals(Set.of(), now(big.report(SWARM, "a", List.of("bad"))), "once per reporter");
    assertEquals(List.of("b", "c", "d"), listedTo(big, "a"));
    assertEquals(List.of("a", "bad", "c", "d"), listedTo(big, "b"), "one report hides it from its reporter only");
    assertEquals(List.of("bad"), now(big.peersFor(member("a", OTHER))).stream().map(c -> c.member().peerId())
        .toList(), "reports hold in their own swarm");

    assertEquals(Set.of("bad"), now(big.report(SWARM, "b", List.of("bad"))));
    assertEquals(List.of("a", "b", "d"), listedTo(big, "c"), "two distinct reporters hide it from everyone");
    assertEquals(Set.of(), now(big.report(SWARM, "c", List.of("bad"))), "hidden already");

    // It leaves and comes back (a reconnect gets a new id anyway): it starts with no reports.
    now(big.leave(SWARM, "bad"));
    now(big.join(member("bad", SWARM)));
    assertEquals(List.of("a", "b", "bad", "d"), listedTo(big, "c"));
  }

  @Test
  void steeringSeesTheLiveMembersAndSeedersThatReportsDoNotHideFromEveryone() {
    LocalSwarmDirectory swarms = new LocalSwarmDirectory(10, 2, new PeerSelector(20, new Random(1)));
    swarms.join(new Member("live", SWARM, "edge-1", null, 1, 4L, false, true, false));
    swarms.join(new Member("seeder", SWARM, "edge-1", null, 1, null, false, true, true));
    swarms.join(new Member("vod", SWARM, "edge-1", null, 1, 4L, false, false, false));
    swarms.join(new Member("bad", SWARM, "edge-1", null, 1, null, false, true, false));
    swarms.join(new Member("r1", SWARM, "edge-1", null, 1, null, false, false, false));
    swarms.join(new Member("r2", SWARM, "edge-1", null, 1, null, false, false, false));
    swarms.report(SWARM, "r1", List.of("bad", "live"));
    assertEquals(Set.of("live", "seeder", "bad"), ids(now(swarms.steered(SWARM))), "one report hides from one only");
    swarms.report(SWARM, "r2", List.of("bad"));
    assertEquals(Set.of("live", "seeder"), ids(now(swarms.steered(SWARM))));
    assertEquals(List.of(), now(swarms.steered(OTHER)));
  }

  private static Set<String> ids(List<Member> members) {
    return members.stream().map(Member::peerId).collect(java.util.stream.Collectors.toSet());
  }
}
