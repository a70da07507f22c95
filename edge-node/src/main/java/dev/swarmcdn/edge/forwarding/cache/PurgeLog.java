package dev.swarmcdn.edge.forwarding.cache;

import java.util.ArrayDeque;
import java.util.function.Predicate;

/**
 * The purges that happened, in order, so that work begun before one (an upstream fill, a disk
 * write, a promotion from disk) can tell it was overtaken and must not store what it got: a purge
 * wins over everything that started before it.
 *
 * <p>Work takes a {@link #mark} when it begins, and asks {@link #purgedSince} before it stores and
 * again after; a purge is {@link #record}ed before the tiers are swept. Either the sweep comes after
 * the store and removes it, or the second question comes after the record and sees it. Only the last {@value #MAX_KEPT}
 * purges are kept: work older than all of them counts as purged, which costs a store, never
 * serves a purged object.
 */
public final class PurgeLog {

  static final int MAX_KEPT = 1024;

  private record Purge(long generation, Predicate<CacheKey> matches) {}

  private final ArrayDeque<Purge> kept = new ArrayDeque<>();
  private volatile long generation;

  /** Where the log stands now; work keeps it to ask {@link #purgedSince} later. */
  public long mark() {
    return generation;
  }

  public synchronized void record(Predicate<CacheKey> matches) {
    kept.addLast(new Purge(generation + 1, matches));
    if (kept.size() > MAX_KEPT) {
      kept.removeFirst();
    }
    generation++;
  }

  /** Whether a purge recorded after {@code mark} matches {@code key}. */
  public boolean purgedSince(CacheKey key, long mark) {
    if (mark == generation) {
      return false;
    }
    synchronized (this) {
      if (kept.isEmpty() || mark < kept.peekFirst().generation() - 1) {
        return true;
      }
      for (Purge purge : kept) {
        if (purge.generation() > mark && purge.matches().test(key)) {
          return true;
        }
      }
      return false;
    }
  }
}
