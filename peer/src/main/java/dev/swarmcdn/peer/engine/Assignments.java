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

  void record(long sequence, List<String> named) {
    fetchers.put(sequence, Set.copyOf(named));
    while (fetchers.size() > KEPT) {
      fetchers.pollFirstEntry();
    }
  }

  /** Whether {@code peerId} is named for {@code sequence}; null when the tracker assigned nobody (that we know of). */
  Boolean names(long sequence, String peerId) {
    Set<String> named = fetchers.get(sequence);
    return named == null ? null : peerId != null && named.contains(peerId);
  }

  /** The sequences {@code peerId} is named for, from {@code first} on, oldest first; older ones are forgotten. */
  List<Long> assignedTo(String peerId, long first) {
    fetchers.headMap(first).clear();
    List<Long> mine = new ArrayList<>();
    for (Map.Entry<Long, Set<String>> entry : fetchers.entrySet()) {
      if (entry.getValue().contains(peerId)) {
        mine.add(entry.getKey());
      }
    }
    return mine;
  }
}
