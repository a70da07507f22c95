package dev.swarmcdn.edge.forwarding.cache;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Memory over disk. Lookups are answered from memory; an object only on disk is promoted back to
 * memory first (once, however many requests want it), then served from there. Stored objects go to
 * memory, and to disk too when they stay fresh long enough to be worth the write: media segments,
 * not live playlists that change every few seconds.
 *
 * <p>A purge wins over every store that began before it (a fill, a disk write, a promotion): each
 * carries the {@link PurgeLog} mark of its start and undoes itself when a purge overtook it.
 */
public final class TieredCache {

  /** Objects fresh for less than this are not written to disk. */
  static final long MIN_FRESHNESS_FOR_DISK_MS = 10_000;

  private final Vertx vertx;
  private final MemoryTier memory;
  private final DiskTier disk;
  private final PurgeLog purges;
  private final ConcurrentHashMap<CacheKey, Future<Boolean>> promoting = new ConcurrentHashMap<>();

  /** @param disk the disk tier, or null to keep objects in memory only */
  public TieredCache(Vertx vertx, MemoryTier memory, DiskTier disk, PurgeLog purges) {
    this.vertx = vertx;
    this.memory = memory;
    this.disk = disk;
    this.purges = purges;
  }

  /** The object from memory with a reference taken for the caller, or null. */
  public StoredResponse acquire(CacheKey key) {
    return memory.acquire(key);
  }

  /** Whether the object is on disk, to be {@link #promote}d before use. */
  public boolean onDisk(CacheKey key) {
    return disk != null && disk.contains(key);
  }

  /** Loads an object from disk into memory; true if it is there now (false: absent or damaged). */
  public Future<Boolean> promote(CacheKey key) {
    if (disk == null) {
      return Future.succeededFuture(false);
    }
    Promise<Boolean> promotion = Promise.promise();
    Future<Boolean> running = promoting.putIfAbsent(key, promotion.future());
    if (running != null) {
      return running;
    }
    long mark = purges.mark();
    vertx.executeBlocking(() -> {
      StoredResponse stored = disk.read(key);
      if (stored == null) {
        return false;
      }
      return keepInMemory(key, stored, mark);
    }, false).onComplete(outcome -> {
      promoting.remove(key, promotion.future());
      promotion.handle(outcome);
    });
    return promotion.future();
  }

  /**
   * Stores a new object; takes over the caller's reference on its body.
   *
   * @param mark the purge log's {@link PurgeLog#mark} when the object was asked for upstream
   */
  public void put(CacheKey key, StoredResponse stored, long mark) {
    // Memory may evict (and free) the body as soon as it holds it: the disk write takes its own
    // reference first.
    boolean toDisk = worthWriting(stored) && stored.body().tryRetain();
    boolean kept = keepInMemory(key, stored, mark);
    if (toDisk && kept) {
      write(key, stored, mark);
    } else if (toDisk) {
      stored.body().release();
    }
  }

  /**
   * Replaces {@code expected} with its revalidated successor (a 304 refreshed it), in memory and on
   * disk: a restart must not bring back the metadata the 304 replaced.
   */
  public void replace(CacheKey key, StoredResponse expected, StoredResponse refreshed, long mark) {
    boolean toDisk = worthWriting(refreshed) && refreshed.body().tryRetain();
    // replace() succeeds only while the entry is the one revalidated, which a purge removes.
    boolean kept = memory.replace(key, expected, refreshed) && !undoIfPurged(key, refreshed, mark);
    if (!kept) {
      if (toDisk) {
        refreshed.body().release();
      }
      return;
    }
    if (toDisk) {
      write(key, refreshed, mark);
    } else if (disk != null && disk.contains(key)) {
      // No longer worth a disk copy (now short-lived or no-cache): the old one must not outlive it.
      vertx.executeBlocking(() -> {
        disk.invalidate(key);
        return null;
      }, false);
    }
  }

  /**
   * Puts in memory unless a purge since {@code mark} forbids it; true if it stays. Asked before,
   * so that an overtaken store does not replace a newer entry; and after, for a purge that came in
   * between (which may then cost that newer entry, never serve the purged one).
   */
  private boolean keepInMemory(CacheKey key, StoredResponse stored, long mark) {
    if (purges.purgedSince(key, mark)) {
      stored.body().release();
      return false;
    }
    memory.put(key, stored);
    return !undoIfPurged(key, stored, mark);
  }

  /** After a store: removes it again if a purge came since {@code mark}; true if it did. */
  private boolean undoIfPurged(CacheKey key, StoredResponse stored, long mark) {
    if (!purges.purgedSince(key, mark)) {
      return false;
    }
    memory.remove(key, stored);
    return true;
  }

  private boolean worthWriting(StoredResponse stored) {
    return disk != null && stored.freshFor() >= MIN_FRESHNESS_FOR_DISK_MS && !stored.alwaysRevalidate();
  }

  /** Writes in the background; releases the reference the caller took for the write. */
  private void write(CacheKey key, StoredResponse stored, long mark) {
    vertx.executeBlocking(() -> {
      try {
        disk.write(key, stored);
      } finally {
        stored.body().release();
      }
      if (purges.purgedSince(key, mark)) {
        disk.invalidate(key);
      }
      return null;
    }, false);
  }

  /**
   * Drops matching objects from both tiers, and makes every store under way for one of them undo
   * itself; returns how many distinct objects went.
   */
  public int invalidateIf(Predicate<CacheKey> matches) {
    purges.record(matches);
    int fromMemory = memory.invalidateIf(matches);
    int fromDisk = disk == null ? 0 : disk.invalidateIf(matches);
    return Math.max(fromMemory, fromDisk);
  }

  public MemoryTier memory() {
    return memory;
  }

  public DiskTier disk() {
    return disk;
  }
}
