package dev.swarmcdn.tracker.signal;

import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The connections of this instance, by peer id. */
public final class LocalRelay<S> implements Relay<S> {

  private final Map<String, PeerChannel<S>> channels = new ConcurrentHashMap<>();

  @Override
  public Future<Boolean> attach(PeerChannel<S> channel) {
    PeerChannel<S> holder = channels.putIfAbsent(channel.peerId(), channel);
    return Future.succeededFuture(holder == null || holder == channel);
  }

  @Override
  public void detach(PeerChannel<S> channel) {
    // By identity: two channels of one id are two connections, however alike.
    channels.computeIfPresent(channel.peerId(), (id, held) -> held == channel ? null : held);
  }

  @Override
  public Future<Delivery> deliver(String peerId, S signal) {
    PeerChannel<S> channel = channels.get(peerId);
    if (channel == null) {
      return Future.succeededFuture(Delivery.NO_PEER);
    }
    return Future.succeededFuture(channel.deliver(signal));
  }
}
