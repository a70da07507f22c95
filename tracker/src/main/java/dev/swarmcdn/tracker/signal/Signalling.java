package dev.swarmcdn.tracker.signal;

import dev.swarmcdn.protocol.tracker.ServerMessage;
import dev.swarmcdn.protocol.tracker.SignalKind;
import dev.swarmcdn.protocol.tracker.SwarmId;
import dev.swarmcdn.tracker.ops.TrackerMetrics;
import dev.swarmcdn.tracker.swarm.SwarmDirectory;
import io.vertx.core.Future;

/**
 * The rule of signalling, whichever protocol a peer speaks: a signal goes only to another member of
 * a swarm the sender is in (the caller checks the sender), with the sender's id filled in by the
 * tracker. A peer can thus neither reach peers it was never matched with nor pass as another.
 */
public final class Signalling {

  private final SwarmDirectory directory;
  private final Relay relay;
  private final TrackerMetrics metrics;

  public Signalling(SwarmDirectory directory, Relay relay, TrackerMetrics metrics) {
    this.directory = directory;
    this.relay = relay;
    this.metrics = metrics;
  }

  /**
   * @param receivedNanos {@link System#nanoTime()} when the signal arrived, for the latency timer
   * @return false when {@code to} is not another member of {@code swarm} or has gone
   */
  public Future<Boolean> relay(String from, String to, SwarmId swarm, SignalKind kind, String data,
      long receivedNanos) {
    if (from.equals(to)) {
      return Future.succeededFuture(false);
    }
    return directory.contains(swarm, to).compose(member -> {
      if (!member) {
        return Future.succeededFuture(false);
      }
      return relay.deliver(to, new ServerMessage.Signal(from, swarm, kind, data)).onSuccess(delivered -> {
        if (delivered) {
          metrics.relayed(kind, System.nanoTime() - receivedNanos);
        }
      });
    });
  }
}
