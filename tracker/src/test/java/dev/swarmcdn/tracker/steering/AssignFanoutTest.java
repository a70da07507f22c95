package dev.swarmcdn.tracker.steering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.protocol.tracker.SwarmId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AssignFanoutTest {

  private static final SwarmId SWARM = new SwarmId("live", "360p");
  private static final long STALE = 100;

  private final AtomicLong now = new AtomicLong();
  private final AssignFanout fanout = new AssignFanout(now::get, STALE);

  @Test
  void oneReportPerNewSegmentGoesOnAndAssignmentsReachEveryMemberHere() {
    List<String> a = new ArrayList<>();
    List<String> b = new ArrayList<>();
    assertFalse(fanout.passOn(SWARM, 5), "no steered member here: nothing to pass on");
    fanout.add(SWARM, "a", a::add);
    fanout.add(SWARM, "b", b::add);
    assertTrue(fanout.passOn(SWARM, 5));
    assertFalse(fanout.passOn(SWARM, 5), "passed on already");
    assertFalse(fanout.passOn(SWARM, 4));
    fanout.deliver(SWARM, 6, "frame-6");
    assertEquals(List.of("frame-6"), a);
    assertEquals(List.of("frame-6"), b);
    assertTrue(fanout.passOn(SWARM, 6), "the assigned segment reported: the next is due");
    fanout.remove(SWARM, "a");
    fanout.remove(SWARM, "b");
    assertEquals(0, fanout.swarmCount());
  }

  @Test
  void reportsHeldBackBelowABogusAssignmentGoOnOnceNothingMovedForAWhile() {
    fanout.add(SWARM, "a", frame -> {});
    assertTrue(fanout.passOn(SWARM, 1_000_000));
    fanout.deliver(SWARM, 1_000_001, "frame");
    now.addAndGet(STALE);
    assertFalse(fanout.passOn(SWARM, 7), "not yet");
    now.addAndGet(1);
    assertTrue(fanout.passOn(SWARM, 7), "stuck for longer than STALE: passed on");
    assertFalse(fanout.passOn(SWARM, 7));
    assertTrue(fanout.passOn(SWARM, 8), "one per new segment again");
    fanout.deliver(SWARM, 9, "frame-9");
    assertFalse(fanout.passOn(SWARM, 8));
  }
}
