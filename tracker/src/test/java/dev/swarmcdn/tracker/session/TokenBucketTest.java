package dev.swarmcdn.tracker.session;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

  private final AtomicLong clock = new AtomicLong(1_000_000_000L);

  @Test
  void aBurstThenTheRate() {
    TokenBucket bucket = new TokenBucket(10, 3, clock::get);
    assertTrue(bucket.tryTake());
    assertTrue(bucket.tryTake());
    assertTrue(bucket.tryTake());
    assertFalse(bucket.tryTake());
    clock.addAndGet(50_000_000L);
    assertFalse(bucket.tryTake(), "half a token after 50 ms at 10/s");
    clock.addAndGet(50_000_000L);
    assertTrue(bucket.tryTake());
    assertFalse(bucket.tryTake());
  }

  @Test
  void aQuietSpellRefillsNoMoreThanTheBurst() {
    TokenBucket bucket = new TokenBucket(10, 2, clock::get);
    bucket.tryTake();
    bucket.tryTake();
    clock.addAndGet(3_600_000_000_000L);
    assertTrue(bucket.tryTake());
    assertTrue(bucket.tryTake());
    assertFalse(bucket.tryTake());
  }
}
