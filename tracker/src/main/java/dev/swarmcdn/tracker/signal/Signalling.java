package dev.swarmcdn.tracker.signal;

import dev.swarmcdn.protocol.tracker.SignalKind;
import dev.swarmcdn.protocol.tracker.SwarmId;
import dev.swarmcdn.tracker.ops.TrackerMetrics;
import dev.swarmcdn.tracker.swarm.SwarmDirectory;
import io.vertx.core.Future;

/**
 * The rule of signalling, whichever protocol a peer speaks: a signal goes only to another member of
 * a swarm the sender is in (the caller checks the sender), and names the sender as the tracker
 * knows it (the caller builds the signal from its own state, never from what the sender claims). A
 * peer can thus neither reach peers it was never matched with nor pass as another.
 */
public final class Signalling<S> {

  private final SwarmDirectory directory;
  private final Relay<S> relay;
  private final TrackerMetrics metrics;

  public Signalling(SwarmDirectory directory, Relay<S> relay, TrackerMetrics metrics) {
    this.directory = directory;
    this.relay = relay;
    this.metrics = metrics;
  }

  /**
   * @param kind          what the signal carries, for the meters
   * @param receivedNanos {@link System#nanoTime()} when the signal arrived, for the latency timer
   * @return {@link Delivery#NO_PEER} when {@code to} is not another member of {@code swarm} or has
   *     gone, {@link Delivery#RECIPIENT_BUSY} when its connection holds all the relayed bytes it may,
   *     {@link Delivery#RECIPIENT_FLOODED} when it was relayed all the signals it may this second
   */
  public Future<Delivery> relay(String from, String to, SwarmId swarm, SignalKind kind, S signal,
      long receivedNanos) {
    if (from.equals(to)) {
      return Future.succeededFuture(Delivery.NO_PEER);
    }
    return directory.contains(swarm, to).compose(member -> {
      if (!member) {
        return Future.succeededFuture(Delivery.NO_PEER);
      }
      return relay.deliver(to, signal).onSuccess(delivery -> {
        switch (delivery) {
          case DELIVERED -> metrics.relayed(kind, System.nanoTime() - receivedNanos);
          case RECIPIENT_BUSY -> metrics.declined();
          case RECIPIENT_FLOODED -> metrics.recipientLimited();
          case NO_PEER -> { }
        }
      });
    });
  }
}
