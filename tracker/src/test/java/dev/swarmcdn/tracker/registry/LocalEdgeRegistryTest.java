package dev.swarmcdn.tracker.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.protocol.registry.EdgeLoad;
import dev.swarmcdn.protocol.registry.EdgeRegistration;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Expiry on an injected clock: the test moves time instead of waiting for it. */
class LocalEdgeRegistryTest {

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final LocalEdgeRegistry registry =
      new LocalEdgeRegistry(Duration.ofSeconds(15), Duration.ofMinutes(10), 3, now::get);

  private static <T> T done(Future<T> future) {
    assertTrue(future.isComplete(), "the local registry answers at once");
    if (future.failed()) {
      throw new AssertionError(future.cause());
    }
    return future.result();
  }

  private static EdgeRegistration edge(String id) {
    return new EdgeRegistration(id, "http://" + id + ".example:8081", 1000);
  }

  private List<String> healthy() {
    return done(registry.healthy()).stream().map(EdgeEntry::id).toList();
  }

  @Test
  void aRegisteredEdgeIsHealthyWithNoLoadYet() {
    EdgeEntry entry = done(registry.register(edge("edge-1")));
    assertEquals(EdgeState.HEALTHY, entry.state());
    assertEquals(EdgeLoad.NONE, entry.load());
    assertEquals(List.of("edge-1"), healthy());
    assertEquals(1, registry.count(EdgeState.HEALTHY));
  }

  @Test
  void anEdgeThatMissesItsHeartbeatsLeavesRotationAndComesBackWhenHeard() {
    done(registry.register(edge("edge-1")));
    done(registry.register(edge("edge-2")));
    now.addAndGet(10_000);
    done(registry.heartbeat("edge-2", new EdgeLoad(5, 1e6, 0.9)));
    now.addAndGet(5_000);
    // edge-1 silent for exactly the expiry: out; edge-2 heard 5 s ago: in.
    assertEquals(List.of("edge-2"), healthy());
    assertEquals(1, registry.count(EdgeState.MISSING));
    List<EdgeEntry> all = done(registry.edges());
    assertEquals(EdgeState.MISSING, all.get(0).state());
    assertEquals(15_000, all.get(0).silentMillis());

    EdgeEntry back = done(registry.heartbeat("edge-1", new EdgeLoad(2, 0, 1))).orElseThrow();
    assertEquals(EdgeState.HEALTHY, back.state());
    assertEquals(2, back.load().connections());
    assertEquals(List.of("edge-1", "edge-2"), healthy());
  }

  @Test
  void anEdgeSilentForLongIsForgottenAndMustRegisterAgain() {
    done(registry.register(edge("edge-1")));
    now.addAndGet(Duration.ofMinutes(10).toMillis());
    assertTrue(done(registry.heartbeat("edge-1", EdgeLoad.NONE)).isEmpty());
    assertEquals(List.of(), done(registry.edges()));
    assertTrue(done(registry.heartbeat("nobody", EdgeLoad.NONE)).isEmpty());
  }

  @Test
  void everyRegistrationAndHeartbeatChangesTheSequence() {
    long registered = done(registry.register(edge("edge-1"))).sequence();
    long beat = done(registry.heartbeat("edge-1", EdgeLoad.NONE)).orElseThrow().sequence();
    long again = done(registry.register(edge("edge-1"))).sequence();
    assertNotEquals(registered, beat);
    assertNotEquals(beat, again);
  }

  @Test
  void aRestartedEdgeReplacesItsEntry() {
    done(registry.register(edge("edge-1")));
    done(registry.heartbeat("edge-1", new EdgeLoad(40, 0, 0)));
    done(registry.register(new EdgeRegistration("edge-1", "http://new.example:9000/", 50)));
    EdgeEntry entry = done(registry.edges()).get(0);
    assertEquals("http://new.example:9000", entry.url());
    assertEquals(50, entry.registration().capacity());
    assertEquals(EdgeLoad.NONE, entry.load());
  }

  @Test
  void aFullRegistryRefusesNewEdgesButNotKnownOnes() {
    for (int i = 1; i <= 3; i++) {
      done(registry.register(edge("edge-" + i)));
    }
    Future<EdgeEntry> refused = registry.register(edge("edge-4"));
    assertInstanceOf(EdgeRegistry.RegistryFullException.class, refused.cause());
    done(registry.register(edge("edge-2")));
    assertTrue(done(registry.deregister("edge-3")));
    assertFalse(done(registry.deregister("edge-3")));
    done(registry.register(edge("edge-4")));
  }

  @Test
  void registrationsAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> new EdgeRegistration("edge 1", "http://a", 1));
    assertThrows(IllegalArgumentException.class, () -> new EdgeRegistration("e".repeat(65), "http://a", 1));
    assertThrows(IllegalArgumentException.class, () -> new EdgeRegistration("e", "ftp://a", 1));
    assertThrows(IllegalArgumentException.class, () -> new EdgeRegistration("e", "http://a/?x=1", 1));
    assertThrows(IllegalArgumentException.class, () -> new EdgeRegistration("e", "/relative", 1));
    assertThrows(IllegalArgumentException.class, () -> new EdgeRegistration("e", "http://a", 0));
    assertThrows(IllegalArgumentException.class, () -> new EdgeLoad(-1, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new EdgeLoad(0, Double.NaN, 0));
    assertThrows(IllegalArgumentException.class, () -> new EdgeLoad(0, 0, 1.5));
  }
}
