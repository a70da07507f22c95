package dev.swarmcdn.tracker.signal;

import dev.swarmcdn.protocol.tracker.ServerMessage;
import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The connections of this instance, by peer id. */
public final class LocalRelay implements Relay {

  private final Map<String, PeerChannel> channels = new ConcurrentHashMap<>();

  @Override
  public void attach(PeerChannel channel) {
    channels.put(channel.peerId(), channel);
  }

  @Override
  public void detach(String peerId) {
    channels.remove(peerId);
  }

  @Override
  public Future<Boolean> deliver(String peerId, ServerMessage.Signal signal) {
    PeerChannel channel = channels.get(peerId);
    if (channel == null) {
      return Future.succeededFuture(false);
    }
    channel.deliver(signal);
    return Future.succeededFuture(true);
  }
}
