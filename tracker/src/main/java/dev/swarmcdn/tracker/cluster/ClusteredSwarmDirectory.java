package dev.swarmcdn.tracker.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.map.IMap;
import dev.swarmcdn.protocol.tracker.SwarmId;
import dev.swarmcdn.tracker.swarm.Candidate;
import dev.swarmcdn.tracker.swarm.Member;
import dev.swarmcdn.tracker.swarm.PeerSelector;
import dev.swarmcdn.tracker.swarm.SwarmDirectory;
import dev.swarmcdn.tracker.swarm.SwarmSize;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Swarms shared by every tracker of the cluster: one Hazelcast map entry per swarm, changed only
 * by {@link SwarmUpdates} on the partition that owns it. Each member remembers the instance that
 * holds its connection; when an instance leaves the cluster, the others drop its members.
 */
final class ClusteredSwarmDirectory implements SwarmDirectory {

  private final IMap<String, SwarmEntry> swarms;
  private final String node;
  private final int maxPeersPerSwarm;
  private final PeerSelector selector;
  /** This instance's own members, by swarm: what its gauges count. */
  private final Map<SwarmId, Set<String>> local = new ConcurrentHashMap<>();

  /** @param name the protocol's name in the cluster: its map */
  ClusteredSwarmDirectory(String name, HazelcastInstance hazelcast, String node, int maxPeersPerSwarm,
      PeerSelector selector) {
    this.swarms = hazelcast.getMap("swarmcdn.tracker." + name + ".swarms");
    this.node = node;
    this.maxPeersPerSwarm = maxPeersPerSwarm;
    this.selector = selector;
  }

  @Override
  public Future<Boolean> join(Member member) {
    return OnCaller.future(swarms.submitToKey(key(member.swarm()),
        new SwarmUpdates.Join(MemberRecord.of(member, node), maxPeersPerSwarm)))
        .onSuccess(joined -> {
          if (joined) {
            local.computeIfAbsent(member.swarm(), swarm -> ConcurrentHashMap.newKeySet()).add(member.peerId());
          }
        });
  }

  @Override
  public Future<List<Candidate>> peersFor(Member asker) {
    return OnCaller.future(swarms.getAsync(key(asker.swarm()))).map(swarm -> swarm == null ? List.of()
        : selector.select(asker, swarm.members().values().stream().map(MemberRecord::member).toList()));
  }

  @Override
  public Future<Void> have(SwarmId swarm, String peerId, long newest) {
    return OnCaller.future(swarms.submitToKey(key(swarm), new SwarmUpdates.Have(peerId, newest)));
  }

  @Override
  public Future<Void> leave(SwarmId swarm, String peerId) {
    forgetLocal(swarm, peerId);
    try {
      return OnCaller.future(swarms.submitToKey(key(swarm), new SwarmUpdates.Leave(peerId))).mapEmpty();
    } catch (HazelcastInstanceNotActiveException leaving) {
      // This instance is leaving the cluster: the others drop its members when it goes.
      return Future.succeededFuture();
    }
  }

  @Override
  public Future<Boolean> contains(SwarmId swarm, String peerId) {
    return OnCaller.future(swarms.getAsync(key(swarm))).map(entry -> entry != null && entry.members().containsKey(peerId));
  }

  @Override
  public Future<SwarmSize> size(SwarmId swarm) {
    return OnCaller.future(swarms.getAsync(key(swarm))).map(entry -> {
      if (entry == null) {
        return SwarmSize.EMPTY;
      }
      int complete = (int) entry.members().values().stream().filter(MemberRecord::complete).count();
      return new SwarmSize(entry.members().size(), complete);
    });
  }

  /**
   * Drops the members whose connections {@code departed} held. Blocks while every partition is
   * visited: call it off the event loop.
   */
  int dropNode(String departed) {
    return swarms.executeOnEntries(new SwarmUpdates.DropNode(departed)).values().stream()
        .mapToInt(Integer::intValue).sum();
  }

  @Override
  public int swarmCount() {
    return local.size();
  }

  @Override
  public int memberCount() {
    return local.values().stream().mapToInt(Set::size).sum();
  }

  private void forgetLocal(SwarmId swarm, String peerId) {
    local.computeIfPresent(swarm, (id, members) -> {
      members.remove(peerId);
      return members.isEmpty() ? null : members;
    });
  }

  private static String key(SwarmId swarm) {
    return SwarmEntry.key(swarm.stream(), swarm.rendition());
  }
}
