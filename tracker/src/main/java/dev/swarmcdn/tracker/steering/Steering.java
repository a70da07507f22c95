package dev.swarmcdn.tracker.steering;

import dev.swarmcdn.protocol.tracker.ServerMessage;
import dev.swarmcdn.protocol.tracker.SwarmId;
import dev.swarmcdn.tracker.ops.SteeringMetrics;
import dev.swarmcdn.tracker.swarm.Member;
import dev.swarmcdn.tracker.swarm.SwarmDirectory;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Steering of our protocol's live swarms on one instance (docs/PROTOCOL.md, "Steering"): what the
 * sessions tell it (joins, leaves, reports of live members and seeders), the steering of the swarms
 * this instance steers ({@link Steerers}), and the sending of assignments to the members connected
 * here. Reports go to the swarm's steering instance and assignments come back from it through the
 * {@link SteeringNetwork}: this very instance when the tracker is on its own.
 *
 * <p>Per report the work is O(1): a report below the sequence last assigned goes no further. Per
 * new segment it is the swarm's member list, read once, and one frame encoded once and queued on
 * each steered member's connection.
 */
public final class Steering {

  /** A swarm with no new segment for this long is forgotten (it ended, or is steered elsewhere now). */
  static final Duration FORGET_IDLE = Duration.ofMinutes(2);
  private static final long SWEEP_MS = 60_000;

  private final int fetchers;
  private final SwarmDirectory directory;
  private final Steerers steerers;
  private final AssignFanout fanout = new AssignFanout(System::nanoTime, FORGET_IDLE.toNanos());
  private SteeringNetwork network;
  private Vertx vertx;
  private long sweepTimer = -1;

  /**
   * @param fetchers   K, 0 (off: no assign is ever sent) to {@value SwarmSteering#MAX_FETCHERS}
   * @param directory  our protocol's swarms, whose members are read when a segment is assigned
   */
  public Steering(int fetchers, SwarmDirectory directory, SteeringMetrics metrics) {
    this.fetchers = fetchers;
    this.directory = directory;
    this.steerers = fetchers == 0 ? null : new Steerers(fetchers, metrics, System::nanoTime);
  }

  /**
   * Connects it to its network and starts forgetting idle swarms; once, before the first session.
   * Switched off, it does neither: it listens to nothing, in a cluster too.
   */
  public Steering start(Vertx vertx, SteeringNetwork.Factory networks) {
    if (enabled()) {
      this.network = networks.connect(this);
      this.vertx = vertx;
      sweepTimer = vertx.setPeriodic(SWEEP_MS, id -> steerers.sweep(FORGET_IDLE.toNanos()));
    }
    return this;
  }

  public void stop() {
    if (sweepTimer >= 0) {
      vertx.cancelTimer(sweepTimer);
      sweepTimer = -1;
    }
  }

  public boolean enabled() {
    return fetchers > 0;
  }

  /**
   * A member joined, or joined again: while it plays live or seeds, its connection gets the
   * swarm's assign frames ({@code send} queues a frame on it, from any thread).
   */
  public void joined(Member member, Consumer<String> send) {
    if (!enabled()) {
      return;
    }
    if (member.steered()) {
      fanout.add(member.swarm(), member.peerId(), send);
    } else {
      fanout.remove(member.swarm(), member.peerId());
    }
  }

  public void left(SwarmId swarm, String peerId) {
    if (enabled()) {
      fanout.remove(swarm, peerId);
    }
  }

  /** A member reported its newest segment (a HAVE, or a join's {@code have}). Only live members and seeders count. */
  public void reported(Member member, long newest) {
    if (enabled() && member.steered() && fanout.passOn(member.swarm(), newest)) {
      network.report(member.swarm(), newest);
    }
  }

  /** On the swarm's steering instance: a report passed on to it. */
  public void steer(SwarmId swarm, long newest) {
    if (!enabled() || !steerers.claim(swarm, newest)) {
      return;
    }
    directory.steered(swarm).onSuccess(members -> steerers.assign(swarm, newest, members)
        .ifPresent(network::publish));
  }

  /** On every instance: an assignment made by the swarm's steering instance, as the frame to send. */
  public void deliver(ServerMessage.Assign assign, String frame) {
    if (enabled()) {
      fanout.deliver(assign.swarm(), assign.sequence(), frame);
    }
  }

  /** Swarms steered here lately. */
  public int steeredSwarms() {
    return enabled() ? steerers.size() : 0;
  }
}
