package dev.swarmcdn.edge.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock a test moves by hand, from any thread: an edge given it (EdgeConfig's clock) sees
 * {@code max-age} run out at once, instead of the test waiting for it. Starts at the system's time,
 * so the Date an origin sends is as old as it would be.
 */
public final class MovableClock extends Clock {

  private final AtomicLong millis = new AtomicLong(System.currentTimeMillis());

  public void advance(Duration by) {
    millis.addAndGet(by.toMillis());
  }

  @Override
  public long millis() {
    return millis.get();
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("a test clock has one zone, UTC");
  }
}
