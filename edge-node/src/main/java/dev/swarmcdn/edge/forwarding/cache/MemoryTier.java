package dev.swarmcdn.edge.forwarding.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The memory tier: stored responses by key in Caffeine, bounded by the off-heap bytes their bodies
 * hold. An entry's body reference is released when Caffeine evicts, replaces or invalidates it;
 * responses still being sent keep their own reference, so eviction never pulls bytes from under a
 * client.
 */
public final class MemoryTier {
  /** Named here for both tiers: one name has one HELP text, whichever tier registers first. */
  static final String CACHE_BYTES = "edge_cache_bytes";
  static final String CACHE_BYTES_HELP = "Bytes held by cached bodies, by tier (memory: off-heap; disk: files)";
  static final String CACHE_ENTRIES = "edge_cache_entries";
  static final String CACHE_ENTRIES_HELP = "Objects cached, by tier";

  /** Per-entry bookkeeping outside the body: headers, key, Caffeine's node. */
  private static final int ENTRY_OVERHEAD = 1024;

  private final Cache<CacheKey, StoredResponse> entries;
  private final AtomicLong bytes = new AtomicLong();

  public MemoryTier(long maxBytes, MeterRegistry registry) {
    this.entries = Caffeine.newBuilder()
        .maximumWeight(maxBytes)
        .weigher((CacheKey key, StoredResponse stored) ->
            (int) Math.min(Integer.MAX_VALUE, stored.body().allocatedBytes() + ENTRY_OVERHEAD))
        .removalListener((CacheKey key, StoredResponse stored, RemovalCause cause) -> {
          if (stored != null) {
            bytes.addAndGet(-stored.body().allocatedBytes());
            stored.body().release();
          }
        })
        // Run eviction on the writer's thread: bounded memory must not depend on a busy pool.
        .executor(Runnable::run)
        .build();
    Gauge.builder(CACHE_BYTES, bytes, AtomicLong::get).tag("tier", "memory")
        .description(CACHE_BYTES_HELP).register(registry);
    Gauge.builder(CACHE_ENTRIES, entries, c -> c.estimatedSize()).tag("tier", "memory")
        .description(CACHE_ENTRIES_HELP).register(registry);
  }

  /** The entry with a reference taken for the caller, or null. Release it when done. */
  public StoredResponse acquire(CacheKey key) {
    StoredResponse stored = entries.getIfPresent(key);
    if (stored == null || !stored.body().tryRetain()) {
      return null;
    }
    return stored;
  }

  /** Stores an entry; takes over the caller's reference on its body. */
  public void put(CacheKey key, StoredResponse stored) {
    bytes.addAndGet(stored.body().allocatedBytes());
    entries.put(key, stored);
  }

  /**
   * Replaces {@code expected} with {@code refreshed} only if it is still the entry for the key;
   * takes over the caller's reference on the refreshed body either way. True if replaced.
   */
  public boolean replace(CacheKey key, StoredResponse expected, StoredResponse refreshed) {
    bytes.addAndGet(refreshed.body().allocatedBytes());
    if (!entries.asMap().replace(key, expected, refreshed)) {
      bytes.addAndGet(-refreshed.body().allocatedBytes());
      refreshed.body().release();
      return false;
    }
    return true;
  }

  /** Removes {@code stored} if it is still the entry for the key. */
  public void remove(CacheKey key, StoredResponse stored) {
    entries.asMap().remove(key, stored);
  }

  /** Invalidates every entry whose key matches; returns how many. */
  public int invalidateIf(Predicate<CacheKey> matches) {
    return CacheKeys.removeMatching(entries.asMap().keySet(), matches);
  }


  public long bytes() {
    return bytes.get();
  }

  public long size() {
    return entries.estimatedSize();
  }
}
