package dev.swarmcdn.tracker.swarm;

import dev.swarmcdn.protocol.tracker.SwarmId;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The swarms of one tracker instance, in memory. Connections may live on several event loops, so
 * every operation holds the directory's lock; each is short (selection is linear in the swarm's
 * size, which {@code maxPeersPerSwarm} bounds).
 */
public final class LocalSwarmDirectory implements SwarmDirectory {

  /** One swarm's members, how many of them are complete, and the reports made in it. */
  private static final class Swarm {
    final Map<String, Member> members = new LinkedHashMap<>();
    int complete;
    /** Null until a member reports another: most swarms never need one. */
    SwarmReports reports;

    void put(Member member) {
      Member before = members.put(member.peerId(), member);
      complete += (member.complete() ? 1 : 0) - (before != null && before.complete() ? 1 : 0);
    }

    boolean remove(String peerId) {
      Member gone = members.remove(peerId);
      if (gone != null && gone.complete()) {
        complete--;
      }
      if (gone != null && reports != null) {
        reports.forget(peerId);
        reports = reports.isEmpty() ? null : reports;
      }
      return gone != null;
    }
  }

  private final int maxPeersPerSwarm;
  private final int hideAfterReports;
  private final PeerSelector selector;
  private final Map<SwarmId, Swarm> swarms = new HashMap<>();
  private int members;

  /** @param hideAfterReports distinct reporters that hide a member from everyone in its swarm */
  public LocalSwarmDirectory(int maxPeersPerSwarm, int hideAfterReports, PeerSelector selector) {
    this.maxPeersPerSwarm = maxPeersPerSwarm;
    this.hideAfterReports = hideAfterReports;
    this.selector = selector;
  }

  @Override
  public synchronized Future<Boolean> join(Member member) {
    Swarm swarm = swarms.computeIfAbsent(member.swarm(), id -> new Swarm());
    if (!swarm.members.containsKey(member.peerId())) {
      if (swarm.members.size() >= maxPeersPerSwarm) {
        return Future.succeededFuture(false);
      }
      members++;
    }
    swarm.put(member);
    return Future.succeededFuture(true);
  }

  @Override
  public synchronized Future<List<Candidate>> peersFor(Member asker) {
    Swarm swarm = swarms.get(asker.swarm());
    if (swarm == null) {
      return Future.succeededFuture(List.of());
    }
    SwarmReports reports = swarm.reports;
    if (reports == null) {
      return Future.succeededFuture(selector.select(asker, swarm.members.values()));
    }
    return Future.succeededFuture(selector.select(asker, swarm.members.values(),
        member -> !reports.hides(member.peerId(), asker.peerId())));
  }

  @Override
  public synchronized Future<Set<String>> report(SwarmId swarmId, String reporter, Collection<String> reported) {
    Swarm swarm = swarms.get(swarmId);
    Set<String> recorded = new HashSet<>();
    for (String peerId : reported) {
      if (swarm != null && !peerId.equals(reporter) && swarm.members.containsKey(peerId)) {
        if (swarm.reports == null) {
          swarm.reports = new SwarmReports(hideAfterReports);
        }
        if (swarm.reports.add(peerId, reporter)) {
          recorded.add(peerId);
        }
      }
    }
    return Future.succeededFuture(recorded);
  }

  @Override
  public synchronized Future<List<Member>> steered(SwarmId swarmId) {
    Swarm swarm = swarms.get(swarmId);
    if (swarm == null) {
      return Future.succeededFuture(List.of());
    }
    SwarmReports reports = swarm.reports;
    List<Member> steered = new ArrayList<>();
    for (Member member : swarm.members.values()) {
      if (member.steered() && (reports == null || !reports.hidesFromAll(member.peerId()))) {
        steered.add(member);
      }
    }
    return Future.succeededFuture(steered);
  }

  @Override
  public synchronized Future<Void> have(SwarmId swarmId, String peerId, long newest) {
    Swarm swarm = swarms.get(swarmId);
    if (swarm != null) {
      swarm.members.computeIfPresent(peerId, (id, member) -> member.withHave(newest));
    }
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Void> leave(SwarmId swarmId, String peerId) {
    Swarm swarm = swarms.get(swarmId);
    if (swarm != null && swarm.remove(peerId)) {
      members--;
      if (swarm.members.isEmpty()) {
        swarms.remove(swarmId);
      }
    }
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Boolean> contains(SwarmId swarmId, String peerId) {
    Swarm swarm = swarms.get(swarmId);
    return Future.succeededFuture(swarm != null && swarm.members.containsKey(peerId));
  }

  @Override
  public synchronized Future<SwarmSize> size(SwarmId swarmId) {
    Swarm swarm = swarms.get(swarmId);
    return Future.succeededFuture(swarm == null ? SwarmSize.EMPTY : new SwarmSize(swarm.members.size(), swarm.complete));
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
