package dev.swarmcdn.tracker.steering;

import dev.swarmcdn.protocol.tracker.ServerMessage;
import dev.swarmcdn.protocol.tracker.SwarmId;
import dev.swarmcdn.tracker.ops.SteeringMetrics;
import dev.swarmcdn.tracker.swarm.Member;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The swarms this instance steers: one {@link SwarmSteering} each, made at the swarm's first report
 * and dropped once no report made a new segment for a while ({@link #sweep}), which bounds them by
 * the swarms steered lately, and lets a swarm whose reports all fall below what it assigned (one
 * report far ahead was bogus, or the stream started its sequence over) be steered afresh. Thread-safe: each swarm's steering is locked while used, so reports of one swarm
 * arriving on several event loops are taken one at a time.
 */
public final class Steerers {

  private static final class Held {
    final SwarmSteering steering;
    /** When a report last made a new segment (or it was made). */
    long usedNanos;

    Held(SwarmSteering steering, long usedNanos) {
      this.steering = steering;
      this.usedNanos = usedNanos;
    }
  }

  private final int fetchers;
  private final SteeringMetrics metrics;
  private final LongSupplier nanoTime;
  private final Map<SwarmId, Held> swarms = new ConcurrentHashMap<>();

  /** @param fetchers K, 1 to {@value SwarmSteering#MAX_FETCHERS} */
  public Steerers(int fetchers, SteeringMetrics metrics, LongSupplier nanoTime) {
    if (fetchers < 1 || fetchers > SwarmSteering.MAX_FETCHERS) {
      throw new IllegalArgumentException("fetchers must be 1 to " + SwarmSteering.MAX_FETCHERS);
    }
    this.fetchers = fetchers;
    this.metrics = metrics;
    this.nanoTime = nanoTime;
  }

  /** O(1): whether a report of {@code newest} makes a new segment ({@link SwarmSteering#claim}). */
  public boolean claim(SwarmId swarm, long newest) {
    long now = nanoTime.getAsLong();
    Held held = swarms.computeIfAbsent(swarm, id -> new Held(new SwarmSteering(fetchers), now));
    synchronized (held) {
      if (!held.steering.claim(newest)) {
        return false;
      }
      held.usedNanos = now;
      return true;
    }
  }

  /**
   * Assigns the segment after {@code newest} among {@code steered}, counted in the meters.
   *
   * @return the frame to send the swarm's steered members, or empty: another report came first, or
   *     nobody qualified (counted as skipped)
   */
  public Optional<ServerMessage.Assign> assign(SwarmId swarm, long newest, Collection<Member> steered) {
    Held held = swarms.get(swarm);
    if (held == null) {
      return Optional.empty();
    }
    SwarmSteering.Decision decision;
    synchronized (held) {
      decision = held.steering.assign(newest, steered).orElse(null);
    }
    if (decision == null) {
      return Optional.empty();
    }
    metrics.missed(decision.missed());
    if (decision.skipped()) {
      metrics.skipped();
      return Optional.empty();
    }
    metrics.assigned(decision.seeder());
    return Optional.of(new ServerMessage.Assign(swarm, decision.sequence(), decision.fetchers()));
  }

  /**
   * Forgets the swarms with no new segment for {@code idleNanos}: ended, steered elsewhere now, or
   * stuck above the reports.
   */
  public void sweep(long idleNanos) {
    long now = nanoTime.getAsLong();
    swarms.values().removeIf(held -> {
      synchronized (held) {
        return now - held.usedNanos > idleNanos;
      }
    });
  }

  /** Swarms held. */
  public int size() {
    return swarms.size();
  }
}
