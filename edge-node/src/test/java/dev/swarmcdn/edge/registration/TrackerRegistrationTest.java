package dev.swarmcdn.edge.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The registration against a real tracker is tested in the launcher module (EdgeTrackerTest), which has both. */
class TrackerRegistrationTest {

  @Test
  void backoffDoublesFromTheIntervalUpToItsCap() {
    assertEquals(100, TrackerRegistration.backoffMillis(100, 1));
    assertEquals(200, TrackerRegistration.backoffMillis(100, 2));
    assertEquals(1_000, TrackerRegistration.backoffMillis(5_000, 1));
    assertEquals(16_000, TrackerRegistration.backoffMillis(5_000, 5));
    assertEquals(30_000, TrackerRegistration.backoffMillis(5_000, 50));
    assertEquals(60_000, TrackerRegistration.backoffMillis(60_000, 50), "never shorter than the interval's cap");
  }
}
