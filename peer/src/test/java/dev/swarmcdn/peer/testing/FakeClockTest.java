package dev.swarmcdn.peer.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The test clock itself: timers in time order, at their own time; execute at once or queued. */
class FakeClockTest {
  @Test
  void advanceRunsDueTimersInTimeOrderAtTheirTime() {
    FakeClock clock = new FakeClock();
    List<String> ran = new ArrayList<>();
    clock.schedule(30, () -> ran.add("b@" + clock.now()));
    clock.schedule(10, () -> {
      ran.add("a@" + clock.now());
      clock.schedule(5, () -> ran.add("a2@" + clock.now()));
    });
    clock.schedule(30, () -> ran.add("c@" + clock.now()));
    clock.schedule(31, () -> ran.add("late"));
    clock.advance(30);
    assertEquals(List.of("a@1010", "a2@1015", "b@1030", "c@1030"), ran);
    assertEquals(1030, clock.now());
    assertEquals(1, clock.pending());
  }

  @Test
  void aCancelledTimerNeverRuns() {
    FakeClock clock = new FakeClock();
    List<String> ran = new ArrayList<>();
    clock.schedule(10, () -> ran.add("x")).cancel();
    clock.advance(100);
    assertEquals(List.of(), ran);
  }

  @Test
  void executeIsQueuedUntilSettleOrRunsAtOnce() {
    List<String> ran = new ArrayList<>();
    FakeClock queued = new FakeClock();
    queued.execute(() -> ran.add("queued"));
    assertEquals(List.of(), ran);
    queued.settle();
    assertEquals(List.of("queued"), ran);
    new FakeClock(0, true).execute(() -> ran.add("at once"));
    assertEquals(List.of("queued", "at once"), ran);
  }
}
