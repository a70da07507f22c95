package dev.swarmcdn.edge.forwarding.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The ring itself is tested in server-kit (BoundedLoadRingTest); here, the edge's loads in flight. */
class EdgeRingTest {

  private static final List<EdgeRing.Member> THREE = List.of(
      new EdgeRing.Member("a", "http://127.0.0.1:1"),
      new EdgeRing.Member("b", "http://127.0.0.1:2"),
      new EdgeRing.Member("c", "http://127.0.0.1:3"));

  @Test
  void anOverloadedOwnerSpillsToTheNextMember() {
    EdgeRing ring = new EdgeRing(THREE, 0.5);
    String key = "/hot.m3u8";
    EdgeRing.Member home = ring.home(key);
    for (int i = 0; i < EdgeRing.MIN_BOUND - 1; i++) {
      ring.begin(home);
    }
    assertEquals(home, ring.owner(key), "below the minimum bound nothing spills");
    ring.begin(home);
    EdgeRing.Member spilled = ring.owner(key);
    assertNotEquals(home, spilled);
    for (int i = 0; i < EdgeRing.MIN_BOUND; i++) {
      ring.end(home);
    }
    assertEquals(home, ring.owner(key), "back home once the load is gone");
  }
}
