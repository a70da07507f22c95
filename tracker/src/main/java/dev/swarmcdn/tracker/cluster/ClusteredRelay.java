package dev.swarmcdn.tracker.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import dev.swarmcdn.protocol.tracker.ProtocolException;
import dev.swarmcdn.protocol.tracker.ServerMessage;
import dev.swarmcdn.protocol.tracker.TrackerCodec;
import dev.swarmcdn.tracker.signal.PeerChannel;
import dev.swarmcdn.tracker.signal.Relay;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signals across the cluster. A cluster map says which instance holds each peer's connection; a
 * signal for a peer held elsewhere crosses the clustered event bus to that instance's one relay
 * address, which hands it to the connection. One consumer per instance, not per peer: a
 * subscription per peer would make every connect a cluster-wide registration.
 */
final class ClusteredRelay implements Relay {

  static final String LOCATIONS = "swarmcdn.tracker.peer-nodes";
  static final String ADDRESS_PREFIX = "swarmcdn.tracker.relay.";
  /** A signal not handed over by then counts as undelivered: WebRTC setup would not wait longer. */
  private static final long DELIVERY_TIMEOUT_MS = 5_000;
  private static final String TO_HEADER = "to";

  private final Map<String, PeerChannel> channels = new ConcurrentHashMap<>();
  private final IMap<String, String> locations;
  private final EventBus bus;
  private final String node;
  private final MessageConsumer<String> consumer;

  ClusteredRelay(HazelcastInstance hazelcast, EventBus bus, String node) {
    this.locations = hazelcast.getMap(LOCATIONS);
    this.bus = bus;
    this.node = node;
    this.consumer = bus.consumer(ADDRESS_PREFIX + node, this::receive);
  }

  @Override
  public void attach(PeerChannel channel) {
    channels.put(channel.peerId(), channel);
    locations.setAsync(channel.peerId(), node);
  }

  @Override
  public void detach(String peerId) {
    if (channels.remove(peerId) != null) {
      locations.removeAsync(peerId);
    }
  }

  @Override
  public Future<Boolean> deliver(String peerId, ServerMessage.Signal signal) {
    PeerChannel channel = channels.get(peerId);
    if (channel != null) {
      channel.deliver(signal);
      return Future.succeededFuture(true);
    }
    return OnCaller.future(locations.getAsync(peerId)).compose(holder -> {
      if (holder == null || holder.equals(node)) {
        return Future.succeededFuture(false);
      }
      return bus.<Boolean>request(ADDRESS_PREFIX + holder, TrackerCodec.encode(signal),
              new DeliveryOptions().setSendTimeout(DELIVERY_TIMEOUT_MS).addHeader(TO_HEADER, peerId))
          .map(Message::body)
          .otherwise(false);
    });
  }

  /** Forgets where {@code departed}'s peers were. Blocks: call it off the event loop. */
  void dropNode(String departed) {
    locations.removeAll(Predicates.equal("this", departed));
  }

  Future<Void> close() {
    return consumer.unregister();
  }

  private void receive(Message<String> message) {
    ServerMessage.Signal signal;
    try {
      signal = (ServerMessage.Signal) TrackerCodec.decodeServer(message.body());
    } catch (ProtocolException | ClassCastException e) {
      // Only trackers of this cluster write here, with this codec: a refusal is a version skew.
      message.reply(false);
      return;
    }
    PeerChannel channel = channels.get(message.headers().get(TO_HEADER));
    if (channel != null) {
      channel.deliver(signal);
    }
    message.reply(channel != null);
  }
}
