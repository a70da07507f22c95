package dev.swarmcdn.origin.live;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RestartBackoffTest {

  @Test
  void doublesWhileRunsFailFastAndResetsAfterAHealthyRun() {
    RestartBackoff backoff = new RestartBackoff(Duration.ofMillis(500), Duration.ofSeconds(3), Duration.ofSeconds(10));
    Duration fast = Duration.ofSeconds(1);
    assertEquals(Duration.ofMillis(500), backoff.delayAfter(fast));
    assertEquals(Duration.ofMillis(1000), backoff.delayAfter(fast));
    assertEquals(Duration.ofMillis(2000), backoff.delayAfter(fast));
    assertEquals(Duration.ofMillis(3000), backoff.delayAfter(fast));
    assertEquals(Duration.ofMillis(3000), backoff.delayAfter(fast));
    assertEquals(Duration.ofMillis(500), backoff.delayAfter(Duration.ofSeconds(10)));
  }
}
