package dev.swarmcdn.tracker.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import dev.swarmcdn.protocol.tracker.ProtocolException;
import dev.swarmcdn.protocol.tracker.ServerMessage;
import dev.swarmcdn.protocol.tracker.SwarmId;
import dev.swarmcdn.protocol.tracker.TrackerCodec;
import dev.swarmcdn.tracker.steering.Rendezvous;
import dev.swarmcdn.tracker.steering.Steering;
import dev.swarmcdn.tracker.steering.SteeringNetwork;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Steering across the cluster. One instance steers each swarm: the one rendezvous hashing of the
 * swarm picks among the cluster's members ({@link Rendezvous}). Reports of a new segment go to it
 * over the clustered event bus (each instance passes on one report per new segment, not one per
 * viewer: see {@link Steering#reported}); it reads the swarm's members from the shared map, picks,
 * and publishes the assign frame, as text, to one address every instance listens on, so a segment
 * costs one message to each instance however many members it has, and each instance sends the
 * frame to its own live members and seeders of the swarm.
 *
 * <p>When the steering instance leaves, the members that remain pick the next by hash, which steers
 * from the next report that reaches it on, knowing nothing of the rotation before: until then (the
 * time failure detection takes, for a crash) reports sent to the one gone are lost, nobody is
 * assigned, and engines decide by today's rule. While instances disagree on who is a member, two
 * may steer one swarm for a segment or two: its members then get two assign frames for one segment
 * and follow the later.
 */
final class ClusteredSteering implements SteeringNetwork {

  private static final Logger LOG = LoggerFactory.getLogger(ClusteredSteering.class);
  private static final String REPORTS = "swarmcdn.tracker.ours.steering.reports.";
  private static final String ASSIGNS = "swarmcdn.tracker.ours.steering.assigns";

  private final Steering steering;
  private final HazelcastInstance hazelcast;
  private final EventBus bus;
  private final String node;

  private ClusteredSteering(Steering steering, HazelcastInstance hazelcast, EventBus bus, String node) {
    this.steering = steering;
    this.hazelcast = hazelcast;
    this.bus = bus;
    this.node = node;
    bus.<JsonObject>consumer(REPORTS + node, this::reportReceived);
    bus.<String>consumer(ASSIGNS, this::assignReceived);
  }

  /** The network of one instance, {@code node} being its id in the cluster. */
  static SteeringNetwork.Factory factory(HazelcastInstance hazelcast, EventBus bus, String node) {
    return steering -> new ClusteredSteering(steering, hazelcast, bus, node);
  }

  @Override
  public void report(SwarmId swarm, long newest) {
    List<String> nodes = new ArrayList<>();
    try {
      for (Member member : hazelcast.getCluster().getMembers()) {
        nodes.add(member.getUuid().toString());
      }
    } catch (HazelcastInstanceNotActiveException leaving) {
      // This instance is leaving the cluster: its members will report elsewhere.
      return;
    }
    String steerer = Rendezvous.owner(swarm, nodes);
    if (steerer == null || steerer.equals(node)) {
      steering.steer(swarm, newest);
    } else {
      bus.send(REPORTS + steerer, new JsonObject().put("stream", swarm.stream()).put("rendition", swarm.rendition())
          .put("newest", newest));
    }
  }

  @Override
  public void publish(ServerMessage.Assign assign) {
    bus.publish(ASSIGNS, TrackerCodec.encode(assign));
  }

  private void reportReceived(Message<JsonObject> message) {
    JsonObject body = message.body();
    SwarmId swarm;
    long newest;
    try {
      swarm = new SwarmId(body.getString("stream"), body.getString("rendition"));
      newest = body.getLong("newest");
    } catch (RuntimeException e) {
      // Only trackers of this cluster write here: a report it cannot read is a version skew.
      LOG.debug("a steering report that cannot be read: {}", e.toString());
      return;
    }
    steering.steer(swarm, newest);
  }

  private void assignReceived(Message<String> message) {
    ServerMessage decoded;
    try {
      decoded = TrackerCodec.decodeServer(message.body());
    } catch (ProtocolException e) {
      LOG.debug("an assign frame that cannot be read: {}", e.getMessage());
      return;
    }
    if (decoded instanceof ServerMessage.Assign assign) {
      steering.deliver(assign, message.body());
    }
  }
}
