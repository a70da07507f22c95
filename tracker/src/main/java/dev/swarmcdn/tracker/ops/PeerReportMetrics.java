package dev.swarmcdn.tracker.ops;

import dev.swarmcdn.protocol.tracker.ReportReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/**
 * {@code tracker_peer_reports_total{reason}}: reports the tracker acted on (of a member of the
 * swarm other than the reporter, not reported by it before). Only our protocol carries reports.
 * Every reason is registered at start, so a rate of zero shows as zero.
 */
public final class PeerReportMetrics {

  private final Map<ReportReason, Counter> reports = new EnumMap<>(ReportReason.class);

  public PeerReportMetrics(MeterRegistry registry) {
    for (ReportReason reason : ReportReason.values()) {
      reports.put(reason, Counter.builder("tracker.peer.reports").tag("reason", reason.wireName())
          .description("Reports of peers dropped for cause that the tracker acted on").register(registry));
    }
  }

  public void reported(ReportReason reason) {
    reports.get(reason).increment();
  }
}
