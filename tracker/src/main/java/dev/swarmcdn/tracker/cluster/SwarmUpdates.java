package dev.swarmcdn.tracker.cluster;

import com.hazelcast.map.EntryProcessor;
import java.util.Map;

/**
 * The changes made to the cluster's swarm map, each an entry processor: it runs where the swarm's
 * partition lives, atomically, and only its answer crosses the network. Setting a value of null
 * removes an emptied swarm.
 */
final class SwarmUpdates {

  private SwarmUpdates() {}

  /** Adds or replaces a member; answers false, changing nothing, when the swarm is full. */
  record Join(MemberRecord member, int maxMembers) implements EntryProcessor<String, SwarmEntry, Boolean> {
    @Override
    public Boolean process(Map.Entry<String, SwarmEntry> entry) {
      SwarmEntry swarm = entry.getValue() == null ? new SwarmEntry() : entry.getValue();
      if (!swarm.members().containsKey(member.peerId()) && swarm.members().size() >= maxMembers) {
        return false;
      }
      swarm.members().put(member.peerId(), member);
      entry.setValue(swarm);
      return true;
    }
  }

  /** Removes a member; answers whether it was there. */
  record Leave(String peerId) implements EntryProcessor<String, SwarmEntry, Boolean> {
    @Override
    public Boolean process(Map.Entry<String, SwarmEntry> entry) {
      SwarmEntry swarm = entry.getValue();
      if (swarm == null || swarm.members().remove(peerId) == null) {
        return false;
      }
      entry.setValue(swarm.members().isEmpty() ? null : swarm);
      return true;
    }
  }

  /** Records the newest segment a member holds. */
  record Have(String peerId, long newest) implements EntryProcessor<String, SwarmEntry, Void> {
    @Override
    public Void process(Map.Entry<String, SwarmEntry> entry) {
      SwarmEntry swarm = entry.getValue();
      if (swarm != null && swarm.members().computeIfPresent(peerId, (id, member) -> member.withHave(newest)) != null) {
        entry.setValue(swarm);
      }
      return null;
    }
  }

  /** Removes every member whose connection was held by {@code node}; answers how many. */
  record DropNode(String node) implements EntryProcessor<String, SwarmEntry, Integer> {
    @Override
    public Integer process(Map.Entry<String, SwarmEntry> entry) {
      SwarmEntry swarm = entry.getValue();
      if (swarm == null) {
        return 0;
      }
      int before = swarm.members().size();
      swarm.members().values().removeIf(member -> member.node().equals(node));
      int dropped = before - swarm.members().size();
      if (dropped > 0) {
        entry.setValue(swarm.members().isEmpty() ? null : swarm);
      }
      return dropped;
    }
  }
}
