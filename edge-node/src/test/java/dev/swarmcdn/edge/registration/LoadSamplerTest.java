package dev.swarmcdn.edge.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.swarmcdn.protocol.registry.EdgeLoad;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LoadSamplerTest {

  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong nanos = new AtomicLong();
  private final LoadSampler sampler = new LoadSampler(connections::get, bytes::get, hits::get, requests::get,
      nanos::get);

  @Test
  void ratesAndRatiosAreOverTheTimeSinceThePreviousSample() {
    connections.set(7);
    bytes.set(10_000_000);
    hits.set(9);
    requests.set(10);
    nanos.set(2_000_000_000L);
    assertEquals(new EdgeLoad(7, 5_000_000, 0.9), sampler.sample());

    bytes.addAndGet(1_000_000);
    hits.addAndGet(1);
    requests.addAndGet(4);
    nanos.addAndGet(1_000_000_000L);
    assertEquals(new EdgeLoad(7, 1_000_000, 0.25), sampler.sample());
  }

  @Test
  void withNoRequestSinceThePreviousSampleItsHitRatioStands() {
    hits.set(3);
    requests.set(4);
    nanos.set(1_000_000_000L);
    sampler.sample();
    nanos.addAndGet(1_000_000_000L);
    assertEquals(new EdgeLoad(0, 0, 0.75), sampler.sample());
  }
}
