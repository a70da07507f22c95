package dev.swarmcdn.edge.forwarding.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EdgeRingTest {

  private static final List<EdgeRing.Member> THREE = List.of(
      new EdgeRing.Member("a", "http://127.0.0.1:1"),
      new EdgeRing.Member("b", "http://127.0.0.1:2"),
      new EdgeRing.Member("c", "http://127.0.0.1:3"));

  @Test
  void keysSpreadEvenlyEnough() {
    EdgeRing ring = new EdgeRing(THREE, 0.5);
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
    EdgeRing before = new EdgeRing(THREE, 0.5);
    EdgeRing after = new EdgeRing(THREE.subList(0, 2), 0.5);
    for (int i = 0; i < 5_000; i++) {
      String key = "/k/" + i;
      String was = before.home(key).id();
      if (!was.equals("c")) {
        assertEquals(was, after.home(key).id(), key);
      }
    }
  }

  @Test
  void anOverloadedOwnerSpillsToTheNextMember() {
    EdgeRing ring = new EdgeRing(THREE, 0.5);
    String key = "/hot.m3u8";
    EdgeRing.Member home = ring.home(key);
    for (int i = 0; i < EdgeRing.MIN_BOUND; i++) {
      ring.begin(home);
    }
    EdgeRing.Member spilled = ring.owner(key);
    assertNotEquals(home, spilled);
    for (int i = 0; i < EdgeRing.MIN_BOUND; i++) {
      ring.end(home);
    }
    assertEquals(home, ring.owner(key), "back home once the load is gone");
  }

  @Test
  void hashIsStableAcrossRuns() {
    // Every edge of every release must place keys identically: the function is pinned.
    assertEquals(-4134070500663640585L, KeyHash.of("/live/demo/360p/seg_e1_00001.m4s"));
  }
}
