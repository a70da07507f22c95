package dev.swarmcdn.tracker.cluster;

import com.hazelcast.core.HazelcastInstance;
import dev.swarmcdn.kit.ops.Observability;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/** A Vert.x instance joined to the trackers' cluster, and the Hazelcast member under it. */
public record ClusterMember(Vertx vertx, HazelcastInstance hazelcast) {

  /** Completes once this instance has joined (or formed) the cluster. */
  public static Future<ClusterMember> join(ClusterSettings settings, Observability observability) {
    return join(settings, observability, new VertxOptions());
  }

  /** The same with {@code options}, whose event bus is set to listen as {@code settings} say. */
  public static Future<ClusterMember> join(ClusterSettings settings, Observability observability,
      VertxOptions options) {
    HazelcastClusterManager manager = HazelcastSetup.clusterManager(settings);
    return observability.newClusteredVertx(HazelcastSetup.withEventBus(options, settings), manager)
        .map(vertx -> new ClusterMember(vertx, manager.getHazelcastInstance()));
  }
}
