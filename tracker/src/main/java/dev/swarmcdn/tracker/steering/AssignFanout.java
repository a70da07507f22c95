package dev.swarmcdn.tracker.steering;

import dev.swarmcdn.protocol.tracker.SwarmId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * This instance's connections that are told of a swarm's assignments (members that joined live,
 * and seeders), and what this instance knows of the swarm's steering: the sequence last assigned,
 * and the newest report it passed on. A swarm is held while one of its steered members is
 * connected here.
 */
final class AssignFanout {

  private static final class Swarm {
    final Map<String, Consumer<String>> members = new ConcurrentHashMap<>();
    long assignedUpTo = -1;
    long passedOnUpTo = -1;
  }

  private final Map<SwarmId, Swarm> swarms = new ConcurrentHashMap<>();

  void add(SwarmId swarm, String peerId, Consumer<String> send) {
    swarms.compute(swarm, (id, held) -> {
      Swarm members = held == null ? new Swarm() : held;
      members.members.put(peerId, send);
      return members;
    });
  }

  void remove(SwarmId swarm, String peerId) {
    swarms.computeIfPresent(swarm, (id, held) -> {
      held.members.remove(peerId);
      return held.members.isEmpty() ? null : held;
    });
  }

  /**
   * O(1): whether a member's report of {@code newest} is to go to the swarm's steering instance: it
   * is at or past the sequence last assigned, as far as this instance heard, and newer than any
   * passed on before. So each new segment costs one message from each instance, not one per viewer.
   */
  boolean passOn(SwarmId swarm, long newest) {
    Swarm held = swarms.get(swarm);
    if (held == null) {
      return false;
    }
    synchronized (held) {
      if (newest < held.assignedUpTo || newest <= held.passedOnUpTo) {
        return false;
      }
      held.passedOnUpTo = newest;
      return true;
    }
  }

  /** Sends the assign frame to each of the swarm's steered members here. */
  void deliver(SwarmId swarm, long sequence, String frame) {
    Swarm held = swarms.get(swarm);
    if (held == null) {
      return;
    }
    synchronized (held) {
      held.assignedUpTo = Math.max(held.assignedUpTo, sequence);
    }
    held.members.values().forEach(send -> send.accept(frame));
  }

  /** Swarms with a steered member here. */
  int swarmCount() {
    return swarms.size();
  }
}
