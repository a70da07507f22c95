package dev.swarmcdn.edge.access.stun;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/**
 * {@code edge_stun_requests_total{response}} counts the Binding requests answered, by answer;
 * {@code edge_stun_dropped_total{reason}} counts the datagrams that got no answer. Every counter is
 * registered up front so dashboards see zeros rather than missing series.
 */
public final class StunMetrics {

  public static final String REQUESTS = "edge_stun_requests_total";
  public static final String DROPPED = "edge_stun_dropped_total";
  public static final String RESPONSE_SUCCESS = "success";
  public static final String RESPONSE_UNKNOWN_ATTRIBUTE = "unknown_attribute";

  private final Counter success;
  private final Counter unknownAttribute;
  private final Map<DropReason, Counter> dropped = new EnumMap<>(DropReason.class);

  public StunMetrics(MeterRegistry registry) {
    this.success = requests(registry, RESPONSE_SUCCESS);
    this.unknownAttribute = requests(registry, RESPONSE_UNKNOWN_ATTRIBUTE);
    for (DropReason reason : DropReason.values()) {
      dropped.put(reason, Counter.builder(DROPPED).tag("reason", reason.tag())
          .description("STUN datagrams dropped without an answer").register(registry));
    }
  }

  private static Counter requests(MeterRegistry registry, String response) {
    return Counter.builder(REQUESTS).tag("response", response)
        .description("STUN Binding requests answered").register(registry);
  }

  void answered() {
    success.increment();
  }

  void rejectedUnknownAttributes() {
    unknownAttribute.increment();
  }

  void dropped(DropReason reason) {
    dropped.get(reason).increment();
  }
}
