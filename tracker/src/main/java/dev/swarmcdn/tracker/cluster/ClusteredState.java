package dev.swarmcdn.tracker.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import dev.swarmcdn.tracker.TrackerConfig;
import dev.swarmcdn.tracker.TrackerState;
import io.vertx.core.Vertx;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * State of a clustered tracker: swarm directory, relay and edge registry on the cluster's Hazelcast
 * member, and the clean-up when another instance leaves or dies, so that its peers are not handed
 * out for longer than failure detection takes.
 */
public final class ClusteredState {

  private static final Logger LOG = LoggerFactory.getLogger(ClusteredState.class);

  private ClusteredState() {}

  /** @param nowMillis the clock of edge heartbeats */
  public static TrackerState create(ClusterMember member, TrackerConfig config, LongSupplier nowMillis) {
    Vertx vertx = member.vertx();
    HazelcastInstance hazelcast = member.hazelcast();
    String node = hazelcast.getCluster().getLocalMember().getUuid().toString();
    ClusteredSwarmDirectory directory = new ClusteredSwarmDirectory(hazelcast, node,
        config.limits().maxPeersPerSwarm(), TrackerState.peerSelector(config));
    ClusteredRelay relay = new ClusteredRelay(hazelcast, vertx.eventBus(), node);
    hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {}

      @Override
      public void memberRemoved(MembershipEvent event) {
        UUID departed = event.getMember().getUuid();
        // Every survivor does it; the updates are idempotent. Blocking calls: off the event loop.
        vertx.executeBlocking(() -> {
          relay.dropNode(departed.toString());
          return directory.dropNode(departed.toString());
        }).onComplete(dropped -> LOG.info("tracker {} left the cluster: {}", departed,
            dropped.succeeded() ? dropped.result() + " of its swarm memberships dropped" : dropped.cause()));
      }
    });
    return new TrackerState(directory, relay, new ClusteredEdgeRegistry(vertx, hazelcast,
        config.routing().heartbeatExpiry(), config.routing().maxEdges(), nowMillis));
  }
}
