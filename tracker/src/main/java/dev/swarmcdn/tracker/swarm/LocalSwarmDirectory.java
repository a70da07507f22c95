package dev.swarmcdn.tracker.swarm;

import dev.swarmcdn.protocol.tracker.SwarmId;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The swarms of one tracker instance, in memory. Connections may live on several event loops, so
 * every operation holds the directory's lock; each is short (selection is linear in the swarm's
 * size, which {@code maxPeersPerSwarm} bounds).
 */
public final class LocalSwarmDirectory implements SwarmDirectory {

  private final int maxPeersPerSwarm;
  private final PeerSelector selector;
  private final Map<SwarmId, Map<String, Member>> swarms = new HashMap<>();
  private int members;

  public LocalSwarmDirectory(int maxPeersPerSwarm, PeerSelector selector) {
    this.maxPeersPerSwarm = maxPeersPerSwarm;
    this.selector = selector;
  }

  @Override
  public synchronized Future<Boolean> join(Member member) {
    Map<String, Member> swarm = swarms.get(member.swarm());
    if (swarm == null) {
      swarm = new LinkedHashMap<>();
      swarms.put(member.swarm(), swarm);
    }
    if (!swarm.containsKey(member.peerId())) {
      if (swarm.size() >= maxPeersPerSwarm) {
        return Future.succeededFuture(false);
      }
      members++;
    }
    swarm.put(member.peerId(), member);
    return Future.succeededFuture(true);
  }

  @Override
  public synchronized Future<List<Candidate>> peersFor(Member asker) {
    Map<String, Member> swarm = swarms.get(asker.swarm());
    return Future.succeededFuture(swarm == null ? List.of() : selector.select(asker, swarm.values()));
  }

  @Override
  public synchronized Future<Void> have(SwarmId swarmId, String peerId, long newest) {
    Map<String, Member> swarm = swarms.get(swarmId);
    if (swarm != null) {
      swarm.computeIfPresent(peerId, (id, member) -> member.withHave(newest));
    }
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Void> leave(SwarmId swarmId, String peerId) {
    Map<String, Member> swarm = swarms.get(swarmId);
    if (swarm != null && swarm.remove(peerId) != null) {
      members--;
      if (swarm.isEmpty()) {
        swarms.remove(swarmId);
      }
    }
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Boolean> contains(SwarmId swarmId, String peerId) {
    Map<String, Member> swarm = swarms.get(swarmId);
    return Future.succeededFuture(swarm != null && swarm.containsKey(peerId));
  }

  @Override
  public synchronized int swarmCount() {
    return swarms.size();
  }

  @Override
  public synchronized int memberCount() {
    return members;
  }
}
