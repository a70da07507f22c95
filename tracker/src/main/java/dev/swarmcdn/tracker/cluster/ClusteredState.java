package dev.swarmcdn.tracker.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import dev.swarmcdn.protocol.tracker.ProtocolException;
import dev.swarmcdn.protocol.tracker.ServerMessage;
import dev.swarmcdn.protocol.tracker.TrackerCodec;
import dev.swarmcdn.tracker.SwarmState;
import dev.swarmcdn.tracker.TrackerConfig;
import dev.swarmcdn.tracker.TrackerState;
import io.vertx.core.Vertx;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * State of a clustered tracker: the swarm directories and relays of both protocols, the steering
 * network of ours and the edge registry on the cluster's Hazelcast member, and the clean-up when
 * another instance leaves or dies, so that its peers are not handed out for longer than failure
 * detection takes.
 */
public final class ClusteredState {

  private static final Logger LOG = LoggerFactory.getLogger(ClusteredState.class);

  private ClusteredState() {}

  /** @param nowMillis the clock of edge heartbeats */
  public static TrackerState create(ClusterMember member, TrackerConfig config, LongSupplier nowMillis) {
    Vertx vertx = member.vertx();
    HazelcastInstance hazelcast = member.hazelcast();
    String node = hazelcast.getCluster().getLocalMember().getUuid().toString();
    Protocol<ServerMessage.Signal> ours = new Protocol<>("ours", member, node, config,
        TrackerCodec::encode, text -> (ServerMessage.Signal) decodeServer(text));
    // WebTorrent signals are relayed as the JSON text the receiving client reads.
    Protocol<String> webTorrent = new Protocol<>("webtorrent", member, node, config, text -> text, text -> text);
    hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {}

      @Override
      public void memberRemoved(MembershipEvent event) {
        String departed = event.getMember().getUuid().toString();
        // Every survivor does it; the updates are idempotent. Blocking calls: off the event loop.
        vertx.executeBlocking(() -> ours.dropNode(departed) + webTorrent.dropNode(departed))
            .onComplete(dropped -> LOG.info("tracker {} left the cluster: {}", departed,
                dropped.succeeded() ? dropped.result() + " of its swarm memberships dropped" : dropped.cause()));
      }
    });
    return new TrackerState(ours.state(), webTorrent.state(), new ClusteredEdgeRegistry(vertx, hazelcast,
        config.routing().heartbeatExpiry(), config.routing().maxEdges(), nowMillis),
        ClusteredSteering.factory(hazelcast, vertx.eventBus(), node),
        ClusteredFleetView.factory(hazelcast, vertx.eventBus(), node));
  }

  private static ServerMessage decodeServer(String text) {
    try {
      return TrackerCodec.decodeServer(text);
    } catch (ProtocolException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** One protocol's clustered directory and relay, under the protocol's own names. */
  private static final class Protocol<S> {
    private final ClusteredSwarmDirectory directory;
    private final ClusteredRelay<S> relay;

    Protocol(String name, ClusterMember member, String node, TrackerConfig config, Function<S, String> encode,
        Function<String, S> decode) {
      directory = new ClusteredSwarmDirectory(name, member.hazelcast(), node, config.limits().maxPeersPerSwarm(),
          config.hideAfterReports(), TrackerState.peerSelector(config));
      relay = new ClusteredRelay<>(name, member.hazelcast(), member.vertx().eventBus(), node, encode, decode);
    }

    SwarmState<S> state() {
      return new SwarmState<>(directory, relay);
    }

    int dropNode(String departed) {
      relay.dropNode(departed);
      return directory.dropNode(departed);
    }
  }
}
