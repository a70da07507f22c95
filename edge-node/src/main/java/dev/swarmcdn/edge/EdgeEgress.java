package dev.swarmcdn.edge;

import dev.swarmcdn.kit.ops.HttpServerMeters;
import dev.swarmcdn.peer.seeder.Seeder;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;

/**
 * {@code edge_egress_bytes_total{transport}}: the one meter of everything an edge sends out, so a
 * fleet's egress is one sum whichever way the bytes left. {@code http}: every response body (to
 * viewers, to other edges' misses, to scrapers); {@code webrtc}: the seeder's segment bytes over
 * data channels, which never show in the HTTP meters. Read from the meters that count them
 * already, so nothing on the hot path counts twice.
 */
final class EdgeEgress {
  private static final String NAME = "edge.egress";
  private static final String HELP = "Bytes this edge sent out, by transport: http (response bodies to viewers,"
      + " other edges and scrapers) and webrtc (its seeder's segments over data channels)";

  private EdgeEgress() {}

  /** @param seeder the edge's seeder now, or null while it has none */
  static void register(MeterRegistry registry, HttpServerMeters http, Supplier<Seeder> seeder) {
    FunctionCounter.builder(NAME, http, HttpServerMeters::bytesWritten).baseUnit("bytes").description(HELP)
        .tag("transport", "http").register(registry);
    FunctionCounter.builder(NAME, seeder, current -> current.get() == null ? 0 : current.get().sentBytes())
        .baseUnit("bytes").description(HELP).tag("transport", "webrtc").register(registry);
  }
}
