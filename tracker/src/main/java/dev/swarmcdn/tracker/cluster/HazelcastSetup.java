package dev.swarmcdn.tracker.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.NetworkConfig;
import dev.swarmcdn.tracker.registry.LocalEdgeRegistry;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Duration;

/** The Hazelcast member and Vert.x options of one clustered tracker. */
public final class HazelcastSetup {

  /**
   * A stopped instance is seen as gone at once (it says goodbye); one that dies without a word
   * after this many seconds without heartbeats, which bounds how long its peers stay listed.
   */
  static final int SILENT_MEMBER_SECONDS = 6;

  /** Like the local registry's, by the map's time-to-live, which every registration and heartbeat renews. */
  static final Duration FORGET_EDGES_AFTER = LocalEdgeRegistry.FORGET_AFTER;

  private HazelcastSetup() {}

  public static HazelcastClusterManager clusterManager(ClusterSettings settings) {
    // Vert.x's own maps (subscriptions, node info) come with its default configuration.
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(settings.name());
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.socket.bind.any", "false");
    // A tracker starting alone should serve within a second or two, not after Hazelcast's 5 s wait.
    config.setProperty("hazelcast.wait.seconds.before.join", "1");
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(SILENT_MEMBER_SECONDS));
    // Vert.x closes the member when the tracker stops; Hazelcast's own hook would race it.
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.addMapConfig(new MapConfig(ClusteredEdgeRegistry.MAP)
        .setTimeToLiveSeconds((int) FORGET_EDGES_AFTER.toSeconds()));
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(settings.port()).setPortAutoIncrement(false);
    network.getInterfaces().setEnabled(true).addInterface(settings.host());
    network.getJoin().getMulticastConfig().setEnabled(false);
    network.getJoin().getAutoDetectionConfig().setEnabled(false);
    network.getJoin().getTcpIpConfig().setEnabled(true).setMembers(settings.members());
    return new HazelcastClusterManager(config);
  }

  /** The event bus listens on the same interface as the member, on any free port. */
  static VertxOptions withEventBus(VertxOptions options, ClusterSettings settings) {
    options.getEventBusOptions().setHost(settings.host()).setPort(0);
    return options;
  }
}
