package dev.swarmcdn.tracker.steering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.protocol.tracker.ServerMessage;
import dev.swarmcdn.protocol.tracker.SwarmId;
import dev.swarmcdn.tracker.locality.NetworkPrefix;
import dev.swarmcdn.tracker.ops.SteeringMetrics;
import dev.swarmcdn.tracker.swarm.Member;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SteerersTest {

  private static final SwarmId SWARM = new SwarmId("live", "360p");

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final AtomicLong now = new AtomicLong();
  private final Steerers steerers = new Steerers(1, new SteeringMetrics(registry), now::get);

  private double count(String name, String... tags) {
    return registry.get(name).tags(tags).counter().count();
  }

  @Test
  void assignmentsMissesAndSkipsAreCounted() {
    Member viewer = new Member("v", SWARM, "edge-1", new NetworkPrefix("198.51.100.0/24"), 1, 5L, false, true, false);
    Member seeder = new Member("s", SWARM, "edge-1", null, 1, 5L, false, true, true);
    assertTrue(steerers.claim(SWARM, 5));
    assertEquals(Optional.of(new ServerMessage.Assign(SWARM, 6, List.of("v"))),
        steerers.assign(SWARM, 5, List.of(viewer, seeder)));
    // The seeder reports 6 first: v may still be loading it, and has 7 too.
    assertTrue(steerers.claim(SWARM, 6));
    assertEquals(Optional.of(new ServerMessage.Assign(SWARM, 7, List.of("v"))),
        steerers.assign(SWARM, 6, List.of(viewer, seeder.withHave(6))));
    // A segment later v still has not reported 6: it missed it, and the seeder fetches 8.
    assertTrue(steerers.claim(SWARM, 7));
    assertEquals(Optional.of(new ServerMessage.Assign(SWARM, 8, List.of("s"))),
        steerers.assign(SWARM, 7, List.of(viewer, seeder.withHave(7))));
    assertTrue(steerers.claim(SWARM, 8));
    assertEquals(Optional.empty(), steerers.assign(SWARM, 8, List.of()));
    assertEquals(2, count("tracker.assignments", "fetcher", "viewer"));
    assertEquals(1, count("tracker.assignments", "fetcher", "seeder"));
    assertEquals(1, count("tracker.assignments.missed"));
    assertEquals(1, count("tracker.assignments.skipped"));
  }

  @Test
  void swarmsWithoutReportsForAWhileAreForgotten() {
    SwarmId other = new SwarmId("live", "720p");
    assertTrue(steerers.claim(SWARM, 1));
    now.addAndGet(50);
    assertTrue(steerers.claim(other, 1));
    now.addAndGet(60);
    steerers.sweep(100);
    assertEquals(1, steerers.size(), "the one idle for 110 goes, the one idle for 60 stays");
    assertFalse(steerers.claim(other, 1), "what it knew of the one kept is kept");
    assertTrue(steerers.assign(SWARM, 1, List.of()).isEmpty(), "a forgotten swarm assigns nothing until reported again");
  }

  @Test
  void aSwarmStuckAboveItsReportsIsForgottenAndSteeredAfresh() {
    Member viewer = new Member("v", SWARM, "edge-1", new NetworkPrefix("198.51.100.0/24"), 1, 5L, false, true, false);
    // One bogus report far ahead: every honest report is below what was assigned.
    assertTrue(steerers.claim(SWARM, 1_000_000));
    assertTrue(steerers.assign(SWARM, 1_000_000, List.of(viewer)).isPresent());
    for (long n = 6; n < 60; n++) {
      now.addAndGet(2);
      assertFalse(steerers.claim(SWARM, n), "reports below the assignment keep nothing alive");
    }
    steerers.sweep(100);
    assertEquals(0, steerers.size());
    assertTrue(steerers.claim(SWARM, 60));
    assertEquals(Optional.of(new ServerMessage.Assign(SWARM, 61, List.of("v"))),
        steerers.assign(SWARM, 60, List.of(viewer.withHave(60))));
  }
}
