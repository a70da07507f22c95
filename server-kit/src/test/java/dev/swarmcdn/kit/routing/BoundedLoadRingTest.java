package dev.swarmcdn.kit.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BoundedLoadRingTest {

  private record Node(String id, double weight) {}

  private static final List<Node> THREE = List.of(new Node("a", 1), new Node("b", 1), new Node("c", 1));

  private static BoundedLoadRing<Node> ring(List<Node> nodes, double epsilon) {
    return new BoundedLoadRing<>(nodes, Node::id, epsilon);
  }

  @Test
  void keysSpreadEvenlyEnough() {
    BoundedLoadRing<Node> ring = ring(THREE, 0.5);
    Map<String, Integer> owned = new HashMap<>();
    for (int i = 0; i < 30_000; i++) {
      owned.merge(ring.home("/live/seg_" + i + ".m4s").id(), 1, Integer::sum);
    }
    for (int count : owned.values()) {
      assertTrue(count > 7_000 && count < 13_000, "unbalanced: " + owned);
    }
  }

  @Test
  void removingAMemberMovesOnlyItsKeys() {
    BoundedLoadRing<Node> before = ring(THREE, 0.5);
    BoundedLoadRing<Node> after = ring(THREE.subList(0, 2), 0.5);
    int moved = 0;
    for (int i = 0; i < 5_000; i++) {
      String key = "/k/" + i;
      String was = before.home(key).id();
      if (was.equals("c")) {
        moved++;
      } else {
        assertEquals(was, after.home(key).id(), key);
      }
    }
    assertTrue(moved > 1_000, "c owned its share: " + moved);
  }

  @Test
  void anOverloadedHomeSpillsToTheNextMemberClockwise() {
    BoundedLoadRing<Node> ring = ring(THREE, 0.25);
    Map<String, Long> loads = new HashMap<>(Map.of("a", 0L, "b", 0L, "c", 0L));
    String key = "/hot";
    Node home = ring.home(key);
    assertEquals(home, ring.choose(key, node -> loads.get(node.id()), Node::weight, 1));
    loads.put(home.id(), 10L);
    Node spilled = ring.choose(key, node -> loads.get(node.id()), Node::weight, 1);
    assertNotEquals(home, spilled);
    // The next member clockwise is where the key lives once its home is gone.
    List<Node> others = THREE.stream().filter(node -> node != home).toList();
    assertEquals(ring(others, 0.25).home(key), spilled);
    loads.put(home.id(), 0L);
    assertEquals(home, ring.choose(key, node -> loads.get(node.id()), Node::weight, 1), "home once the load is gone");
  }

  @Test
  void belowTheFloorNothingSpills() {
    BoundedLoadRing<Node> ring = ring(THREE, 0.25);
    Node home = ring.home("/k");
    assertEquals(home, ring.choose("/k", node -> node == home ? 15 : 0, Node::weight, 16));
    assertNotEquals(home, ring.choose("/k", node -> node == home ? 16 : 0, Node::weight, 16));
    // The floor is per unit of weight: twice the weight, twice the floor.
    BoundedLoadRing<Node> heavy = ring(List.of(new Node("a", 2), new Node("b", 2), new Node("c", 2)), 0.25);
    Node heavyHome = heavy.home("/k");
    assertEquals(heavyHome, heavy.choose("/k", node -> node == heavyHome ? 31 : 0, Node::weight, 16));
  }

  @Test
  void placedOneByOneNoMemberGoesPastItsWeightedBound() {
    // One edge of capacity 3 next to two of capacity 1. Each owns a third of the ring, but the small
    // ones are held to 1.25 x a fifth of the load each: the big one takes what they cannot.
    List<Node> nodes = List.of(new Node("big", 3), new Node("small-1", 1), new Node("small-2", 1));
    double epsilon = 0.25;
    BoundedLoadRing<Node> ring = ring(nodes, epsilon);
    Map<String, Long> loads = new HashMap<>(Map.of("big", 0L, "small-1", 0L, "small-2", 0L));
    int keys = 10_000;
    for (int i = 0; i < keys; i++) {
      Node chosen = ring.choose("/stream/" + (i % 400), node -> loads.get(node.id()), Node::weight, 1);
      loads.merge(chosen.id(), 1L, Long::sum);
    }
    for (Node node : nodes) {
      double bound = Math.ceil((1 + epsilon) * keys * node.weight() / 5);
      assertTrue(loads.get(node.id()) <= bound, node + " over its bound: " + loads);
    }
    assertTrue(loads.get("big") >= keys / 2, "capacity counts: " + loads);
  }

  @Test
  void aMemberUnderItsBoundIsAlwaysFound() {
    BoundedLoadRing<Node> ring = ring(THREE, 0.1);
    // Two members far over the average: the third takes every key, wherever it hashes.
    for (int i = 0; i < 200; i++) {
      assertEquals("c", ring.choose("/k/" + i, node -> node.id().equals("c") ? 0 : 1_000, Node::weight, 1).id());
    }
  }

  @Test
  void membersAreNamedOnce() {
    assertThrows(IllegalArgumentException.class, () -> ring(List.of(new Node("a", 1), new Node("a", 2)), 0.5));
    assertThrows(IllegalArgumentException.class, () -> ring(List.of(), 0.5));
  }

  @Test
  void hashIsStableAcrossRuns() {
    // Every edge of every release must place keys identically: the function is pinned.
    assertEquals(-4134070500663640585L, KeyHash.of("/live/demo/360p/seg_e1_00001.m4s"));
  }
}
