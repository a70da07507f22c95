package dev.swarmcdn.peer.seeder;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The seeder's figures, per swarm: what it sent over data channels (the edge's bytes, beside
 * what the edge sends over HTTP under the same name) and the fills the tracker assigned it.
 * Confined to the seeder's thread.
 */
final class SeederMetrics {
  /** One name for everything an edge sends viewers of a swarm, by transport. */
  static final String SENT = "edge_swarm_sent_bytes";

  private final MeterRegistry registry;
  private final Map<String, Counter> sent = new HashMap<>();
  private final Map<String, Counter> fills = new HashMap<>();
  /** Over every swarm, ever: read by the edge's scrape thread. */
  private final LongAdder sentInAll = new LongAdder();

  SeederMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void swarmJoined(String swarm) {
    sent.computeIfAbsent(swarm, s -> sentCounter(registry, s, "webrtc"));
    fills.computeIfAbsent(swarm, s -> Counter.builder("edge_seeder_assigned_fills")
        .description("segments the tracker assigned this edge's seeder to fetch first, by swarm")
        .tag("swarm", s).register(registry));
  }

  void sent(String swarm, long bytes) {
    sentInAll.add(bytes);
    sent.computeIfAbsent(swarm, s -> sentCounter(registry, s, "webrtc")).increment(bytes);
  }

  /** Bytes sent over data channels to viewers of every swarm since the start. Any thread. */
  long sentInAll() {
    return sentInAll.sum();
  }

  void assignedFill(String swarm) {
    Counter counter = fills.get(swarm);
    if (counter != null) {
      counter.increment();
    }
  }

  /** The counter of bytes sent to viewers of {@code swarm} over {@code transport} ({@code http} or {@code webrtc}). */
  static Counter sentCounter(MeterRegistry registry, String swarm, String transport) {
    return Counter.builder(SENT)
        .description("segment bytes this edge sent to viewers of a swarm it seeds, by transport")
        .tag("swarm", swarm).tag("transport", transport).register(registry);
  }
}
