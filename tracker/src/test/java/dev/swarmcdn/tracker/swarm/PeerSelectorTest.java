package dev.swarmcdn.tracker.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.protocol.tracker.Locality;
import dev.swarmcdn.protocol.tracker.SwarmId;
import dev.swarmcdn.tracker.locality.NetworkPrefix;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PeerSelectorTest {

  private static final SwarmId SWARM = new SwarmId("demo", "360p");
  private static final NetworkPrefix HOME = new NetworkPrefix("198.51.100.0/24");
  private static final NetworkPrefix AWAY = new NetworkPrefix("203.0.113.0/24");

  private static Member member(String id, String edge, NetworkPrefix network, int slots, Long have) {
    return new Member(id, SWARM, edge, network, slots, have);
  }

  private static List<String> ids(List<Candidate> candidates) {
    return candidates.stream().map(c -> c.member().peerId()).toList();
  }

  @Test
  void closenessComesBeforeHaveAndHaveBeforeChance() {
    Member asker = member("me", "edge-1", HOME, 1, null);
    List<Member> members = List.of(
        asker,
        member("far-new", "edge-2", AWAY, 1, 100L),
        member("net-old", "edge-2", HOME, 1, 5L),
        member("net-new", "edge-2", HOME, 1, 9L),
        member("edge-unknown", "edge-1", AWAY, 1, null),
        member("edge-new", "edge-1", AWAY, 1, 7L));
    List<Candidate> picked = new PeerSelector(20, new Random(1)).select(asker, members);
    assertEquals(List.of("edge-new", "edge-unknown", "net-new", "net-old", "far-new"), ids(picked));
    assertEquals(List.of(Locality.EDGE, Locality.EDGE, Locality.NETWORK, Locality.NETWORK, Locality.ANY),
        picked.stream().map(Candidate::locality).toList());
  }

  @Test
  void anUnknownNetworkIsNeverTheSameNetwork() {
    Member asker = member("me", "edge-1", null, 1, null);
    List<Candidate> picked = new PeerSelector(20, new Random(1))
        .select(asker, List.of(member("other", "edge-2", null, 1, null)));
    assertEquals(Locality.ANY, picked.get(0).locality());
  }

  @Test
  void peersWithoutSlotsOnlyWhenNobodyElseCanServe() {
    Member asker = member("me", "edge-1", HOME, 3, null);
    Member full = member("full", "edge-1", HOME, 0, 50L);
    Member free = member("free", "edge-9", AWAY, 2, null);
    PeerSelector selector = new PeerSelector(20, new Random(1));
    assertEquals(List.of("free"), ids(selector.select(asker, List.of(asker, full, free))));
    // The asker's own free slots do not count as someone else who can serve.
    assertEquals(List.of("full"), ids(selector.select(asker, List.of(asker, full))));
  }

  @Test
  void theListIsCappedAndTiesAreSpreadAcrossPeers() {
    Member asker = member("me", "edge-1", HOME, 1, null);
    List<Member> members = new ArrayList<>();
    members.add(asker);
    for (int i = 0; i < 30; i++) {
      members.add(member("p" + i, "edge-2", AWAY, 1, null));
    }
    PeerSelector selector = new PeerSelector(5, new Random(7));
    Set<String> handedOut = new HashSet<>();
    for (int round = 0; round < 20; round++) {
      List<Candidate> picked = selector.select(asker, members);
      assertEquals(5, picked.size());
      assertTrue(!ids(picked).contains("me"));
      handedOut.addAll(ids(picked));
    }
    assertTrue(handedOut.size() > 20, "equal peers take turns, not the first five every time: " + handedOut.size());
  }

  @Test
  void hiddenPeersAreLeftOutBeforeTheCapAndDoNotCountAsServing() {
    Member asker = member("me", "edge-1", HOME, 1, null);
    List<Member> members = List.of(asker,
        member("hidden", "edge-1", HOME, 4, 9L),
        member("a", "edge-2", AWAY, 0, null),
        member("b", "edge-2", AWAY, 0, null));
    PeerSelector selector = new PeerSelector(2, new Random(1));
    assertEquals(List.of("hidden"), ids(selector.select(asker, members)), "unfiltered, only it has a slot");
    assertEquals(Set.of("a", "b"), new HashSet<>(ids(selector.select(asker, members,
        member -> !member.peerId().equals("hidden")))),
        "hidden, it no longer counts as able to serve: the others are listed, two of two under the cap");
  }

  @Test
  void seedersWithAFreeSlotComeFirstAndDoNotCountAsServingViewers() {
    Member asker = member("me", "edge-1", HOME, 1, null);
    Member seeder = new Member("seeder", SWARM, "edge-9", AWAY, 3, 1L, false, true, true);
    Member fullSeeder = new Member("full-seeder", SWARM, "edge-1", HOME, 0, 9L, false, true, true);
    Member near = member("near", "edge-1", HOME, 1, 9L);
    Member noSlot = member("no-slot", "edge-1", HOME, 0, 5L);
    PeerSelector selector = new PeerSelector(20, new Random(1));
    assertEquals(List.of("seeder", "near"), ids(selector.select(asker, List.of(asker, near, noSlot, fullSeeder, seeder))),
        "the seeder first though far and behind; the full ones left out while a viewer can serve");
    assertEquals(List.of("seeder", "full-seeder", "no-slot"),
        ids(selector.select(asker, List.of(asker, noSlot, fullSeeder, seeder))),
        "a seeder alone with a slot leaves the full viewers listed, as when nobody can serve");
    assertEquals(List.of("seeder"), ids(new PeerSelector(1, new Random(1)).select(asker, List.of(asker, near, seeder))),
        "the cap keeps the seeder");
  }
}
