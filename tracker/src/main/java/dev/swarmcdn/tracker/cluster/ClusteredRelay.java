package dev.swarmcdn.tracker.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import dev.swarmcdn.tracker.signal.Delivery;
import dev.swarmcdn.tracker.signal.PeerChannel;
import dev.swarmcdn.tracker.signal.Relay;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Signals of one protocol across the cluster. A cluster map says which instance holds each peer's
 * connection (first come, first served: a peer id belongs to one connection cluster-wide); a
 * signal for a peer held elsewhere crosses the clustered event bus, as text, to that instance's one
 * relay address for the protocol, which hands it to the connection. One consumer per instance, not
 * per peer: a subscription per peer would make every connect a cluster-wide registration.
 *
 * @param <S> the protocol's signal, written to text and read back by the two given functions
 */
final class ClusteredRelay<S> implements Relay<S> {

  /** A signal not handed over by then counts as undelivered: WebRTC setup would not wait longer. */
  private static final long DELIVERY_TIMEOUT_MS = 5_000;
  private static final String TO_HEADER = "to";

  /** Takes a peer id for {@code node} unless another instance holds it; answers the holder. */
  record Claim(String node) implements EntryProcessor<String, String, String> {
    @Override
    public String process(Map.Entry<String, String> entry) {
      if (entry.getValue() == null) {
        entry.setValue(node);
      }
      return entry.getValue();
    }
  }

  private final Map<String, PeerChannel<S>> channels = new ConcurrentHashMap<>();
  private final IMap<String, String> locations;
  private final EventBus bus;
  private final String addressPrefix;
  private final String node;
  private final Function<S, String> encode;
  private final Function<String, S> decode;

  /**
   * @param name    the protocol's name in the cluster: its map and event-bus addresses
   * @param decode  throws an unchecked exception for text it cannot read
   */
  ClusteredRelay(String name, HazelcastInstance hazelcast, EventBus bus, String node, Function<S, String> encode,
      Function<String, S> decode) {
    this.locations = hazelcast.getMap("swarmcdn.tracker." + name + ".peer-nodes");
    this.bus = bus;
    this.addressPrefix = "swarmcdn.tracker." + name + ".relay.";
    this.node = node;
    this.encode = encode;
    this.decode = decode;
    bus.<String>consumer(addressPrefix + node, this::receive);
  }

  @Override
  public Future<Boolean> attach(PeerChannel<S> channel) {
    PeerChannel<S> holder = channels.putIfAbsent(channel.peerId(), channel);
    if (holder != null) {
      return Future.succeededFuture(holder == channel);
    }
    return OnCaller.future(locations.submitToKey(channel.peerId(), new Claim(node))).map(holderNode -> {
      if (holderNode.equals(node)) {
        return true;
      }
      channels.remove(channel.peerId(), channel);
      return false;
    });
  }

  @Override
  public void detach(PeerChannel<S> channel) {
    if (channels.remove(channel.peerId(), channel)) {
      try {
        locations.removeAsync(channel.peerId());
      } catch (HazelcastInstanceNotActiveException leaving) {
        // This instance is leaving the cluster: the others drop its peers' locations when it goes.
      }
    }
  }

  @Override
  public Future<Delivery> deliver(String peerId, S signal) {
    PeerChannel<S> channel = channels.get(peerId);
    if (channel != null) {
      return Future.succeededFuture(handOver(channel, signal));
    }
    return OnCaller.future(locations.getAsync(peerId)).compose(holder -> {
      if (holder == null || holder.equals(node)) {
        return Future.succeededFuture(Delivery.NO_PEER);
      }
      return bus.<String>request(addressPrefix + holder, encode.apply(signal),
              new DeliveryOptions().setSendTimeout(DELIVERY_TIMEOUT_MS).addHeader(TO_HEADER, peerId))
          .map(reply -> Delivery.valueOf(reply.body()))
          .otherwise(Delivery.NO_PEER);
    });
  }

  private static <S> Delivery handOver(PeerChannel<S> channel, S signal) {
    return channel.deliver(signal);
  }

  /** Forgets where {@code departed}'s peers were. Blocks: call it off the event loop. */
  void dropNode(String departed) {
    locations.removeAll(Predicates.equal("this", departed));
  }

  private void receive(Message<String> message) {
    S signal;
    try {
      signal = decode.apply(message.body());
    } catch (RuntimeException e) {
      // Only trackers of this cluster write here, with the same codec: a refusal is a version skew.
      message.reply(Delivery.NO_PEER.name());
      return;
    }
    PeerChannel<S> channel = channels.get(message.headers().get(TO_HEADER));
    message.reply((channel == null ? Delivery.NO_PEER : handOver(channel, signal)).name());
  }
}
