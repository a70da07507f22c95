package dev.swarmcdn.peer.store;

import dev.swarmcdn.protocol.peer.PeerCodec;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Segments this viewer holds whole, as the browser's SegmentStore: a memory cache bounded by bytes,
 * least recently used out first; what it holds (and what is being fetched) per swarm is what the
 * engine announces in HAVE. Confined to the engine's thread.
 */
public final class SegmentStore {
  private final long maxBytes;
  private final Consumer<String> onChange;
  private final SharedSegments shared;
  private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
  private final Map<String, Set<Long>> inFlight = new HashMap<>();
  private long bytes;

  private record Key(String swarm, long sequence) {
  }

  private static final class Entry {
    final StoredSegment segment;
    boolean handedOver;

    Entry(StoredSegment segment) {
      this.segment = segment;
    }
  }

  /** @param onChange  told the swarm whose holdings changed */
  public SegmentStore(long maxBytes, Consumer<String> onChange) {
    this(maxBytes, onChange, SharedSegments.NONE);
  }

  /** @param shared  where segments held by other engines of this JVM are shared from */
  public SegmentStore(long maxBytes, Consumer<String> onChange, SharedSegments shared) {
    this.maxBytes = maxBytes;
    this.onChange = onChange;
    this.shared = shared;
  }

  /** The segment, if held (it becomes the most recently used), else null. */
  public StoredSegment get(String swarm, long sequence) {
    Entry entry = entries.get(new Key(swarm, sequence));
    return entry == null ? null : entry.segment;
  }

  public boolean has(String swarm, long sequence) {
    return entries.containsKey(new Key(swarm, sequence));
  }

  public long bytes() {
    return bytes;
  }

  /** Keeps a segment fetched over HTTP. */
  public void put(String swarm, long sequence, byte[] data) {
    put(swarm, sequence, data, 0, 0);
  }

  /**
   * Keeps a segment; {@code data} is kept as is, so the caller hands over bytes nobody writes.
   *
   * @param p2pBytes     how many of its bytes came from viewers
   * @param seederBytes  ... from edge seeders
   * @return the segment's bytes: {@code data}, or an equal array other engines hold ({@link SharedSegments})
   */
  public byte[] put(String swarm, long sequence, byte[] data, long p2pBytes, long seederBytes) {
    if (data.length > maxBytes) {
      return data;
    }
    data = shared.share(swarm, sequence, data);
    Key key = new Key(swarm, sequence);
    Entry old = entries.put(key, new Entry(new StoredSegment(swarm, sequence, data, p2pBytes, seederBytes)));
    if (old != null) {
      bytes -= old.segment.data().length;
    }
    bytes += data.length;
    Set<Long> fetching = inFlight.get(swarm);
    if (fetching != null) {
      fetching.remove(sequence);
    }
    Set<String> changed = new HashSet<>();
    changed.add(swarm);
    for (Iterator<Map.Entry<Key, Entry>> it = entries.entrySet().iterator(); bytes > maxBytes && it.hasNext(); ) {
      Entry oldest = it.next().getValue();
      it.remove();
      bytes -= oldest.segment.data().length;
      changed.add(oldest.segment.swarm());
    }
    changed.forEach(onChange);
    return data;
  }

  /** Forgets a swarm's segments older than {@code sequence} (a live window moved past them). */
  public void dropBefore(String swarm, long sequence) {
    boolean changed = entries.entrySet().removeIf(e -> {
      boolean old = e.getKey().swarm().equals(swarm) && e.getKey().sequence() < sequence;
      if (old) {
        bytes -= e.getValue().segment.data().length;
      }
      return old;
    });
    if (changed) {
      onChange.accept(swarm);
    }
  }

  /**
   * Notes that the player got a segment; false when it had got it before (a cache hit then brings
   * no bytes from anywhere). A segment not held (too large, evicted) was fetched for this handover.
   */
  public boolean handOver(String swarm, long sequence) {
    Entry entry = entries.get(new Key(swarm, sequence));
    if (entry == null) {
      return true;
    }
    boolean first = !entry.handedOver;
    entry.handedOver = true;
    return first;
  }

  /** Marks a segment as being fetched (announced as such) or no longer. */
  public void fetching(String swarm, long sequence, boolean on) {
    Set<Long> set = inFlight.computeIfAbsent(swarm, s -> new HashSet<>());
    boolean changed = on ? !set.contains(sequence) && !has(swarm, sequence) : set.contains(sequence);
    if (on) {
      set.add(sequence);
    } else {
      set.remove(sequence);
    }
    if (changed) {
      onChange.accept(swarm);
    }
  }

  /** A swarm's holdings as HAVE ranges, the newest kept when there are more than a HAVE carries. */
  public Holdings holdings(String swarm) {
    TreeSet<Long> held = new TreeSet<>();
    for (Key key : entries.keySet()) {
      if (key.swarm().equals(swarm)) {
        held.add(key.sequence());
      }
    }
    TreeSet<Long> fetching = new TreeSet<>(inFlight.getOrDefault(swarm, Set.of()));
    fetching.removeAll(held);
    var fetchingRanges = Holdings.toRanges(fetching, PeerCodec.MAX_RANGES / 2);
    return new Holdings(Holdings.toRanges(held, PeerCodec.MAX_RANGES - fetchingRanges.size()), fetchingRanges);
  }

  /** The newest sequence held in a swarm, or null. */
  public Long newest(String swarm) {
    Long newest = null;
    for (Key key : entries.keySet()) {
      if (key.swarm().equals(swarm) && (newest == null || key.sequence() > newest)) {
        newest = key.sequence();
      }
    }
    return newest;
  }
}
