package dev.swarmcdn.tracker.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.map.IMap;
import dev.swarmcdn.protocol.tracker.SwarmId;
import dev.swarmcdn.tracker.swarm.Candidate;
import dev.swarmcdn.tracker.swarm.Member;
import dev.swarmcdn.tracker.swarm.PeerSelector;
import dev.swarmcdn.tracker.swarm.SwarmDirectory;
import dev.swarmcdn.tracker.swarm.SwarmReports;
import dev.swarmcdn.tracker.swarm.SwarmSize;
import io.vertx.core.Future;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Swarms shared by every tracker of the cluster: one Hazelcast map entry per swarm, changed only
 * by {@link SwarmUpdates} on the partition that owns it. Each member remembers the instance that
 * holds its connection; when an instance leaves the cluster, the others drop its members.
 *
 * <p>Reports stay on the instance of the peer that made them ({@link SwarmReports} per swarm, for
 * swarms where one of its peers reported another): that instance's lists honour them, others'
 * do not. Reports of a peer held elsewhere are dropped when a list shows it no longer in the swarm,
 * and all of a swarm's when this instance's last peer leaves it.
 */
final class ClusteredSwarmDirectory implements SwarmDirectory {

  private final IMap<String, SwarmEntry> swarms;
  private final String node;
  private final int maxPeersPerSwarm;
  private final int hideAfterReports;
  private final PeerSelector selector;
  /** This instance's own members, by swarm: what its gauges count. */
  private final Map<SwarmId, Set<String>> local = new ConcurrentHashMap<>();
  /** Reports this instance's peers made, only for swarms where they made some. */
  private final Map<SwarmId, SwarmReports> reports = new ConcurrentHashMap<>();

  /** @param name the protocol's name in the cluster: its map */
  ClusteredSwarmDirectory(String name, HazelcastInstance hazelcast, String node, int maxPeersPerSwarm,
      int hideAfterReports, PeerSelector selector) {
    this.swarms = hazelcast.getMap("swarmcdn.tracker." + name + ".swarms");
    this.node = node;
    this.maxPeersPerSwarm = maxPeersPerSwarm;
    this.hideAfterReports = hideAfterReports;
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
    return OnCaller.future(swarms.getAsync(key(asker.swarm()))).map(swarm -> {
      if (swarm == null) {
        return List.of();
      }
      List<Member> members = swarm.members().values().stream().map(MemberRecord::member).toList();
      SwarmReports reported = reports.get(asker.swarm());
      if (reported == null) {
        return selector.select(asker, members);
      }
      reported.retain(swarm.members().keySet());
      return selector.select(asker, members, member -> !reported.hides(member.peerId(), asker.peerId()));
    });
  }

  @Override
  public Future<Set<String>> report(SwarmId swarm, String reporter, Collection<String> reported) {
    return OnCaller.future(swarms.getAsync(key(swarm))).map(entry -> {
      Set<String> recorded = new HashSet<>();
      for (String peerId : reported) {
        if (entry != null && !peerId.equals(reporter) && entry.members().containsKey(peerId)
            && reports.computeIfAbsent(swarm, id -> new SwarmReports(hideAfterReports)).add(peerId, reporter)) {
          recorded.add(peerId);
        }
      }
      return recorded;
    });
  }

  @Override
  public Future<List<Member>> steered(SwarmId swarm) {
    CompletionStage<SwarmEntry> read;
    try {
      read = swarms.getAsync(key(swarm));
    } catch (HazelcastInstanceNotActiveException leaving) {
      // A report still reaching an instance that left the cluster: the next steering instance assigns.
      return Future.failedFuture(leaving);
    }
    return OnCaller.future(read).map(entry -> {
      if (entry == null) {
        return List.of();
      }
      SwarmReports reported = reports.get(swarm);
      return entry.members().values().stream()
          .filter(record -> record.live() || record.seeder())
          .filter(record -> reported == null || !reported.hidesFromAll(record.peerId()))
          .map(MemberRecord::member)
          .toList();
    });
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
    reports.computeIfPresent(swarm, (id, reported) -> {
      reported.forget(peerId);
      return reported.isEmpty() ? null : reported;
    });
    local.computeIfPresent(swarm, (id, members) -> {
      members.remove(peerId);
      if (members.isEmpty()) {
        // No peer here is left to be shown, or spared, whom this instance's reports name.
        reports.remove(swarm);
        return null;
      }
      return members;
    });
  }

  private static String key(SwarmId swarm) {
    return SwarmEntry.key(swarm.stream(), swarm.rendition());
  }
}
