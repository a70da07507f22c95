package dev.swarmcdn.tracker.steering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.protocol.tracker.SwarmId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RendezvousTest {

  private static List<String> nodes(int count) {
    List<String> nodes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      nodes.add(new UUID(0x5eed_0000L + i, 0xcafe_0000L + i * 7919L).toString());
    }
    return nodes;
  }

  private static List<SwarmId> swarms(int count) {
    List<SwarmId> swarms = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      swarms.add(new SwarmId("stream-" + i, i % 2 == 0 ? "360p" : "720p"));
    }
    return swarms;
  }

  @Test
  void everyInstancePicksTheSameWhateverTheOrderOfTheMembers() {
    List<String> nodes = nodes(5);
    List<String> reversed = new ArrayList<>(nodes);
    java.util.Collections.reverse(reversed);
    for (SwarmId swarm : swarms(200)) {
      assertEquals(Rendezvous.owner(swarm, nodes), Rendezvous.owner(swarm, reversed));
    }
    assertNull(Rendezvous.owner(new SwarmId("a", "b"), List.of()));
  }

  @Test
  void swarmsSpreadOverTheInstances() {
    List<String> nodes = nodes(4);
    Map<String, Integer> owned = new HashMap<>();
    for (SwarmId swarm : swarms(4000)) {
      owned.merge(Rendezvous.owner(swarm, nodes), 1, Integer::sum);
    }
    assertEquals(4, owned.size());
    owned.values().forEach(count -> assertTrue(count > 800 && count < 1200, "about a quarter each: " + owned));
  }

  @Test
  void whenAnInstanceLeavesOnlyItsSwarmsMove() {
    List<String> nodes = nodes(4);
    String leaving = nodes.get(2);
    List<String> rest = new ArrayList<>(nodes);
    rest.remove(leaving);
    int moved = 0;
    for (SwarmId swarm : swarms(1000)) {
      String before = Rendezvous.owner(swarm, nodes);
      String after = Rendezvous.owner(swarm, rest);
      if (before.equals(leaving)) {
        moved++;
      } else {
        assertEquals(before, after, "a swarm of an instance that stays stays with it");
      }
    }
    assertTrue(moved > 0);
  }

  @Test
  void aStreamAndRenditionAreNotConfusedAcrossTheSlash() {
    List<String> nodes = nodes(64);
    int differ = 0;
    for (int i = 0; i < 50; i++) {
      if (!Rendezvous.owner(new SwarmId("a/b" + i, "c"), nodes).equals(Rendezvous.owner(new SwarmId("a", "b" + i + "/c"), nodes))) {
        differ++;
      }
    }
    assertTrue(differ > 40, "two swarms, hashed apart: " + differ);
  }
}
