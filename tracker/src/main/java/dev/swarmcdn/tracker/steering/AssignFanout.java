package dev.swarmcdn.tracker.steering;

import dev.swarmcdn.protocol.tracker.SwarmId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

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
    /** When a report was last passed on, or an assignment heard. */
    long movedNanos;

    Swarm(long nowNanos) {
      movedNanos = nowNanos;
    }
  }

  private final Map<SwarmId, Swarm> swarms = new ConcurrentHashMap<>();
  private final LongSupplier nanoTime;
  private final long staleNanos;

  /**
   * @param staleNanos after this long with nothing passed on or assigned, a report below what this
   *                   instance heard is passed on all the same (see {@link #passOn})
   */
  AssignFanout(LongSupplier nanoTime, long staleNanos) {
    this.nanoTime = nanoTime;
    this.staleNanos = staleNanos;
  }

  void add(SwarmId swarm, String peerId, Consumer<String> send) {
    swarms.compute(swarm, (id, held) -> {
      Swarm members = held == null ? new Swarm(nanoTime.getAsLong()) : held;
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
   * When nothing was passed on or assigned for a while though members report, what it heard holds
   * reports back no longer (a report far ahead was bogus, or the stream started its sequence over):
   * the report goes on, and the steering instance, which forgets a swarm stuck as long, steers afresh.
   */
  boolean passOn(SwarmId swarm, long newest) {
    Swarm held = swarms.get(swarm);
    if (held == null) {
      return false;
    }
    long now = nanoTime.getAsLong();
    synchronized (held) {
      if (newest < held.assignedUpTo || newest <= held.passedOnUpTo) {
        if (now - held.movedNanos <= staleNanos) {
          return false;
        }
        held.assignedUpTo = -1;
      }
      held.passedOnUpTo = newest;
      held.movedNanos = now;
      return true;
    }
  }

  /** Sends the assign frame to each of the swarm's steered members here. */
  void deliver(SwarmId swarm, long sequence, String frame) {
    Swarm held = swarms.get(swarm);
    if (held == null) {
      return;
    }
    long now = nanoTime.getAsLong();
    synchronized (held) {
      held.assignedUpTo = Math.max(held.assignedUpTo, sequence);
      held.movedNanos = now;
    }
    held.members.values().forEach(send -> send.accept(frame));
  }

  /** Swarms with a steered member here. */
  int swarmCount() {
    return swarms.size();
  }
}
