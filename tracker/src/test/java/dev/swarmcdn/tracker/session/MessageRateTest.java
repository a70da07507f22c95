package dev.swarmcdn.tracker.session;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MessageRateTest {

  private static final long MS = 1_000_000L;

  private final MessageRate tenPerSecond = new MessageRate(10, 3);
  private long now = 5_000 * MS;
  private long state = tenPerSecond.fresh(now);

  private boolean take() {
    if (!tenPerSecond.admits(state, now)) {
      return false;
    }
    state = tenPerSecond.taken(state, now);
    return true;
  }

  @Test
  void aBurstThenTheRate() {
    assertTrue(take());
    assertTrue(take());
    assertTrue(take());
    assertFalse(take());
    now += 50 * MS;
    assertFalse(take(), "half a message's worth after 50 ms at 10/s");
    now += 50 * MS;
    assertTrue(take());
    assertFalse(take());
  }

  @Test
  void aQuietSpellRefillsNoMoreThanTheBurst() {
    take();
    take();
    now += 3_600_000 * MS;
    assertTrue(take());
    assertTrue(take());
    assertTrue(take());
    assertFalse(take());
  }

  @Test
  void aRateBelowOnePerSecondWorksToo() {
    MessageRate slow = new MessageRate(0.01, 1);
    long s = slow.fresh(now);
    assertTrue(slow.admits(s, now));
    s = slow.taken(s, now);
    assertFalse(slow.admits(s, now + 99_000 * MS));
    assertTrue(slow.admits(s, now + 100_000 * MS));
  }
}
