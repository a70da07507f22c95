package dev.swarmcdn.tracker.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.protocol.registry.EdgeLoad;
import dev.swarmcdn.protocol.registry.EdgeRegistration;
import dev.swarmcdn.tracker.registry.EdgeEntry;
import dev.swarmcdn.tracker.registry.LocalEdgeRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Bounded-load routing over a registry on an injected clock. */
class EdgeRouterTest {

  private final AtomicLong now = new AtomicLong(0);
  private final LocalEdgeRegistry registry =
      new LocalEdgeRegistry(Duration.ofSeconds(15), Duration.ofHours(1), 100, now::get);
  private final EdgeRouter router = new EdgeRouter(registry, 0.25);

  private void register(String id, long capacity) {
    registry.register(new EdgeRegistration(id, "http://" + id + ".example", capacity));
  }

  private void heartbeat(String id, long connections) {
    assertTrue(registry.heartbeat(id, new EdgeLoad(connections, 0, 0)).result().isPresent());
  }

  private String route(String stream) {
    Optional<EdgeEntry> edge = router.route(stream).result();
    return edge.map(EdgeEntry::id).orElse(null);
  }

  private void threeEdges(long capacity) {
    for (String id : new String[] {"edge-a", "edge-b", "edge-c"}) {
      register(id, capacity);
    }
  }

  @Test
  void noHealthyEdgeNoRoute() {
    assertEquals(null, route("demo"));
    register("edge-a", 100);
    now.addAndGet(15_000);
    assertEquals(null, route("demo"), "a missing edge is out of rotation");
  }

  @Test
  void anExcludedEdgeIsPassedOverWhileAnotherIsInRotationAndTheOthersStreamsStayPut() {
    threeEdges(1000);
    String home = route("demo");
    String elsewhere = router.route("demo", Set.of(home)).result().orElseThrow().id();
    assertNotEquals(home, elsewhere, "a viewer that saw its edge fail is sent elsewhere");
    // Where the stream goes when its home leaves rotation: the same edge.
    assertEquals(elsewhere, router.route("demo", Set.of(home, "edge-unknown")).result().orElseThrow().id());
    assertEquals(home, route("demo"), "other viewers still go home");
    Set<String> all = Set.of("edge-a", "edge-b", "edge-c");
    assertEquals(home, router.route("demo", all).result().orElseThrow().id(),
        "every edge excluded: the exclusion is ignored, a doubted edge is better than none");
  }

  @Test
  void aStreamStaysOnOneEdgeWhileLoadsAreLow() {
    threeEdges(1000);
    String first = route("demo");
    for (int i = 0; i < 100; i++) {
      assertEquals(first, route("demo"), "viewer " + i);
    }
  }

  @Test
  void anEdgeOverItsBoundSpillsToTheNextAndGetsItsStreamsBackWhenRelieved() {
    threeEdges(100);
    String home = route("demo");
    // The home reports 90 of its 100 connections, the others nothing: it is over its bound.
    heartbeat(home, 90);
    String spilled = route("demo");
    assertNotEquals(home, spilled);
    assertEquals(spilled, route("demo"), "the spilled stream concentrates on the next edge");
    heartbeat(home, 0);
    assertEquals(home, route("demo"));
  }

  @Test
  void aBurstOfViewersSpreadsBeforeTheNextHeartbeat() {
    threeEdges(10);
    Map<String, Integer> routed = new HashMap<>();
    for (int i = 0; i < 30; i++) {
      routed.merge(route("hot"), 1, Integer::sum);
    }
    // 30 viewers, capacity 10 each, no heartbeat in between: routes handed out count as load.
    assertEquals(3, routed.size(), "spread: " + routed);
    routed.values().forEach(count -> assertTrue(count <= Math.ceil(1.25 * 30 / 3), "bounded: " + routed));
  }

  @Test
  void routesHandedOutAreForgottenAtTheEdgesNextHeartbeat() {
    threeEdges(10);
    String home = route("hot");
    for (int i = 0; i < 5; i++) {
      route("hot");
    }
    assertNotEquals(home, route("hot"), "its routes since the heartbeat put the home over its bound");
    // The heartbeat reports what the edge really carries: the viewers did not all connect.
    heartbeat(home, 1);
    assertEquals(home, route("hot"));
  }

  @Test
  void aLargerEdgeCarriesMoreBeforeSpilling() {
    register("edge-big", 300);
    register("edge-small", 100);
    Map<String, Integer> routed = new HashMap<>();
    for (int i = 0; i < 400; i++) {
      routed.merge(route("stream-" + (i % 40)), 1, Integer::sum);
    }
    assertTrue(routed.get("edge-small") <= Math.ceil(1.25 * 400 / 4), "small held to its share: " + routed);
    assertTrue(routed.get("edge-big") >= 400 - Math.ceil(1.25 * 400 / 4), routed.toString());
  }

  @Test
  void manyStreamsSpreadAcrossTheEdges() {
    threeEdges(1_000_000);
    Map<String, Integer> homes = new HashMap<>();
    for (int i = 0; i < 3_000; i++) {
      homes.merge(route("stream-" + i), 1, Integer::sum);
    }
    assertEquals(3, homes.size());
    homes.values().forEach(count -> assertTrue(count > 700 && count < 1_300, "balanced: " + homes));
  }

  @Test
  void anEdgeLeavingMovesOnlyItsOwnStreams() {
    threeEdges(1_000_000);
    Map<String, String> before = new HashMap<>();
    for (int i = 0; i < 2_000; i++) {
      before.put("stream-" + i, route("stream-" + i));
    }
    // edge-c stops heartbeating; the others carry on.
    now.addAndGet(10_000);
    heartbeat("edge-a", 0);
    heartbeat("edge-b", 0);
    now.addAndGet(5_000);
    Set<String> movedTo = new HashSet<>();
    for (Map.Entry<String, String> stream : before.entrySet()) {
      String after = route(stream.getKey());
      if (stream.getValue().equals("edge-c")) {
        movedTo.add(after);
      } else {
        assertEquals(stream.getValue(), after, stream.getKey());
      }
    }
    assertEquals(Set.of("edge-a", "edge-b"), movedTo, "edge-c's streams spread over the others");
  }
}
