package dev.swarmcdn.tracker.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import dev.swarmcdn.tracker.swarm.PeerSelector;
import dev.swarmcdn.tracker.swarm.SwarmState;
import io.vertx.core.Vertx;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Swarm state of a clustered tracker: directory and relay on the cluster's Hazelcast member, and
 * the clean-up when another instance leaves or dies, so that its peers are not handed out for
 * longer than failure detection takes.
 */
public final class ClusteredSwarmState {

  private static final Logger LOG = LoggerFactory.getLogger(ClusteredSwarmState.class);

  private ClusteredSwarmState() {}

  public static SwarmState create(ClusterMember member, int maxPeersPerSwarm, PeerSelector selector) {
    Vertx vertx = member.vertx();
    HazelcastInstance hazelcast = member.hazelcast();
    String node = hazelcast.getCluster().getLocalMember().getUuid().toString();
    ClusteredSwarmDirectory directory = new ClusteredSwarmDirectory(hazelcast, node, maxPeersPerSwarm, selector);
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
    return new SwarmState(directory, relay);
  }
}
