package dev.swarmcdn.tracker.steering;

import dev.swarmcdn.protocol.tracker.ServerMessage;
import dev.swarmcdn.protocol.tracker.SwarmId;
import dev.swarmcdn.protocol.tracker.TrackerCodec;

/**
 * How reports reach the instance that steers a swarm, and its assignments every instance: within
 * this process for a tracker on its own ({@link #LOCAL}), or across a cluster ({@code cluster}
 * package).
 */
public interface SteeringNetwork {

  /** Hands a report to the swarm's steering instance, which calls {@link Steering#steer} there. */
  void report(SwarmId swarm, long newest);

  /** Hands an assignment to every instance, each of which calls {@link Steering#deliver}. */
  void publish(ServerMessage.Assign assign);

  /** Makes the network of one instance's steering. */
  @FunctionalInterface
  interface Factory {
    SteeringNetwork connect(Steering steering);
  }

  /** A tracker on its own steers every swarm, and its members are all here. */
  Factory LOCAL = steering -> new SteeringNetwork() {
    @Override
    public void report(SwarmId swarm, long newest) {
      steering.steer(swarm, newest);
    }

    @Override
    public void publish(ServerMessage.Assign assign) {
      steering.deliver(assign, TrackerCodec.encode(assign));
    }
  };
}
