package dev.swarmcdn.peer.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The tracker's assignments of one swarm (docs/PROTOCOL.md, "assign"): who fetches each new live
 * segment over HTTP first. The newest {@value #KEPT} are kept; a segment with no assignment known
 * is left to the engine's own rule.
 */
final class Assignments {
  static final int KEPT = 32;

  private final TreeMap<Long, Set<String>> fetchers = new TreeMap<>();
  /** Assigned segments whose fetch started: each is fetched once, even if that fetch fails. */
  private final java.util.TreeSet<Long> started = new java.util.TreeSet<>();

  void record(long sequence, List<String> named) {
    fetchers.put(sequence, Set.copyOf(named));
    while (fetchers.size() > KEPT) {
      started.remove(fetchers.pollFirstEntry().getKey());
    }
  }

  void markStarted(long sequence) {
    started.add(sequence);
  }

  /** Whether {@code peerId} is named for {@code sequence}; null when the tracker assigned nobody (that we know of). */
  Boolean names(long sequence, String peerId) {
    Set<String> named = fetchers.get(sequence);
    return named == null ? null : peerId != null && named.contains(peerId);
  }

  /**
   * The sequences {@code peerId} is named for whose fetch has not started, from {@code first} on,
   * oldest first; older ones are forgotten.
   */
  List<Long> assignedTo(String peerId, long first) {
    fetchers.headMap(first).clear();
    started.headSet(first).clear();
    List<Long> mine = new ArrayList<>();
    for (Map.Entry<Long, Set<String>> entry : fetchers.entrySet()) {
      if (entry.getValue().contains(peerId) && !started.contains(entry.getKey())) {
        mine.add(entry.getKey());
      }
    }
    return mine;
  }
}
