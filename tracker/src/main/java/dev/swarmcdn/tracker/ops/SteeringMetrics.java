package dev.swarmcdn.tracker.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Steering's meters (docs/PROTOCOL.md, "Steering"): {@code tracker_assignments_total{fetcher}},
 * {@code tracker_assignments_missed_total}, {@code tracker_assignments_skipped_total}. Counted by
 * the instance that steers the swarm; in a cluster, the sum over instances is the cluster's.
 */
public final class SteeringMetrics {

  private final Counter byViewers;
  private final Counter bySeeders;
  private final Counter missed;
  private final Counter skipped;

  public SteeringMetrics(MeterRegistry registry) {
    byViewers = assignments(registry, "viewer");
    bySeeders = assignments(registry, "seeder");
    missed = Counter.builder("tracker.assignments.missed")
        .description("Fetchers that did not report the segment assigned to them by the time the next was assigned")
        .register(registry);
    skipped = Counter.builder("tracker.assignments.skipped")
        .description("New live segments with nobody to assign them to (no qualifying viewer, no seeder): no assign sent")
        .register(registry);
  }

  private static Counter assignments(MeterRegistry registry, String fetcher) {
    return Counter.builder("tracker.assignments").tag("fetcher", fetcher)
        .description("Live segments assigned (assign frames sent), by who was named: viewers, or a seeder for want of one")
        .register(registry);
  }

  public void assigned(boolean toSeeder) {
    (toSeeder ? bySeeders : byViewers).increment();
  }

  public void missed(int fetchers) {
    missed.increment(fetchers);
  }

  public void skipped() {
    skipped.increment();
  }
}
