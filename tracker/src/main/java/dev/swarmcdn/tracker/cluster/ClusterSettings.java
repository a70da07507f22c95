package dev.swarmcdn.tracker.cluster;

import java.util.List;
import java.util.Objects;

/**
 * How a tracker joins its cluster. Members are found by a fixed TCP list, never by multicast: a
 * tracker must not join whatever cluster happens to share its network.
 *
 * @param name     cluster name; trackers with another name never join this one
 * @param host     interface this instance binds and announces (cluster and event bus)
 * @param port     Hazelcast member port (the event bus takes any free port)
 * @param members  {@code host} or {@code host:port} of the other members (a host alone means its
 *                 ports 5701-5703)
 */
public record ClusterSettings(String name, String host, int port, List<String> members) {

  public static final int DEFAULT_PORT = 5701;

  public ClusterSettings {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(host, "host");
    members = List.copyOf(members);
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("cluster port out of range: " + port);
    }
    if (members.isEmpty()) {
      throw new IllegalArgumentException("a cluster needs at least one member address (this one counts)");
    }
  }
}
