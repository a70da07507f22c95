package dev.swarmcdn.tracker.cluster;

import com.hazelcast.core.HazelcastInstance;
import dev.swarmcdn.kit.ops.Observability;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/** A Vert.x instance joined to the trackers' cluster, and the Hazelcast member under it. */
public record ClusterMember(Vertx vertx, HazelcastInstance hazelcast) {

  /** Completes once this instance has joined (or formed) the cluster. */
  public static Future<ClusterMember> join(ClusterSettings settings, Observability observability) {
    HazelcastClusterManager manager = HazelcastSetup.clusterManager(settings);
    return observability.newClusteredVertx(HazelcastSetup.vertxOptions(settings), manager)
        .map(vertx -> new ClusterMember(vertx, manager.getHazelcastInstance()));
  }
}
