package dev.swarmcdn.edge.forwarding.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stores that began before a purge undo themselves, in memory and on disk. */
class TieredCachePurgeTest {

  @TempDir Path dir;
  private final Vertx vertx = Vertx.vertx();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final PurgeLog purges = new PurgeLog();
  private DiskTier disk;

  @BeforeEach
  void open() {
    disk = DiskTier.open(dir, 1L << 20, UnpooledByteBufAllocator.DEFAULT, registry);
  }

  @AfterEach
  void stop() {
    vertx.close();
  }

  private static StoredResponse stored(String text) {
    PagedBody body = new PagedBody(UnpooledByteBufAllocator.DEFAULT);
    body.append(Unpooled.wrappedBuffer(text.getBytes()));
    long now = System.currentTimeMillis();
    return new StoredResponse(200, MultiMap.caseInsensitiveMultiMap(), null, null, text.length(), body,
        now, now, 0, now, Duration.ofHours(1).toMillis(), 0, 0, false);
  }

  @Test
  void aStoreBegunBeforeAPurgeLeavesNeitherTierHoldingIt() throws Exception {
    TieredCache cache = new TieredCache(vertx, new MemoryTier(1L << 20, registry), disk, purges);
    CacheKey key = new CacheKey("origin", "/vod/a.m4s", "");
    long mark = purges.mark();
    assertEquals(0, cache.invalidateIf(k -> k.path().startsWith("/vod/")));
    cache.put(key, stored("old"), mark);
    assertNull(cache.acquire(key), "not in memory");

    CacheKey other = new CacheKey("origin", "/live/b.m4s", "");
    cache.put(other, stored("kept"), mark);
    StoredResponse kept = cache.acquire(other);
    assertNotNull(kept, "a purge of another prefix does not touch it");
    kept.body().release();
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> disk.contains(other));
    assertFalse(disk.contains(key), "not on disk, although written after the other one");
  }
}
