package dev.swarmcdn.edge.forwarding.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disk writes that store nothing are counted by reason and logged without a flood, and the object
 * stays served from memory. A full file system is the kernel's own: writes go to /dev/full, which
 * fails every write with ENOSPC.
 */
class DiskWriteFailureTest {

  private static final Path DEV_FULL = Path.of("/dev/full");

  @TempDir Path dir;
  private final Vertx vertx = Vertx.vertx();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @AfterEach
  void stop() {
    vertx.close();
  }

  private static StoredResponse stored(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    PagedBody body = new PagedBody(UnpooledByteBufAllocator.DEFAULT);
    body.append(Unpooled.wrappedBuffer(bytes));
    long now = System.currentTimeMillis();
    return new StoredResponse(200, MultiMap.caseInsensitiveMultiMap(), null, null, size, body,
        now, now, 0, now, Duration.ofHours(1).toMillis(), 0, 0, false);
  }

  private double failures(String reason) {
    var counter = registry.find("edge_disk_write_failures_total").tag("reason", reason).counter();
    return counter == null ? -1 : counter.count();
  }

  private List<Path> files() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).toList();
    }
  }

  @Test
  void aFullFileSystemIsCountedAndTheObjectIsStillServedFromMemory() throws Exception {
    // Every temporary file is /dev/full: the first write(2) fails with ENOSPC.
    DiskTier disk = DiskTier.open(dir, 1L << 20, UnpooledByteBufAllocator.DEFAULT, registry,
        temp -> FileChannel.open(DEV_FULL, StandardOpenOption.WRITE));
    TieredCache cache = new TieredCache(vertx, new MemoryTier(8L << 20, registry), disk, new PurgeLog());
    CacheKey key = new CacheKey("origin", "/vod/a.m4s", "");
    cache.put(key, stored(100_000), 0);

    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> failures("no_space") == 1);
    assertFalse(disk.contains(key));
    assertEquals(List.of(), files(), "no temporary file is left behind");
    StoredResponse served = cache.acquire(key);
    assertNotNull(served, "the memory tier still serves it");
    assertEquals(100_000, served.length());
    served.body().release();
    assertEquals(0, failures("io_error"));
    assertEquals(0, registry.find("edge_disk_writes_total").counter().count());
  }

  @Test
  void anObjectLargerThanTheTierAndATierAtItsBoundAreRefusalsForSpace() throws Exception {
    long bound = 1L << 20;
    DiskTier disk = DiskTier.open(dir, bound, UnpooledByteBufAllocator.DEFAULT, registry);
    assertFalse(disk.write(new CacheKey("origin", "/vod/huge.m4s", ""), stored((int) bound + 1)));
    assertEquals(1, failures("too_large"));
    assertEquals(List.of(), files());

    // The case: 300 kB objects in a 1 MiB tier. Three fit (87 %); Caffeine's admission
    // then keeps what it has rather than each newcomer, which used to go unsaid.
    int stored = 0;
    for (int i = 0; i < 8; i++) {
      if (disk.write(new CacheKey("origin", "/vod/s" + i + ".m4s", ""), stored(300_000 + i))) {
        stored++;
      }
    }
    assertEquals(stored, (int) registry.find("edge_disk_writes_total").counter().count());
    assertEquals(8 - stored, (int) failures("tier_full"));
    assertTrue(failures("tier_full") >= 1, "a 1 MiB tier cannot keep eight 300 kB objects");
    assertEquals(disk.size(), files().size(), "a refused object leaves no file");
    assertTrue(disk.bytes() <= bound);
  }

  @Test
  void anEpisodeIsSaidOnceAndEpisodesAtMostOnceAMinute() {
    AtomicLong clock = new AtomicLong();
    DiskWriteFailures log = new DiskWriteFailures(dir, registry, clock::get);
    CacheKey key = new CacheKey("origin", "/vod/a.m4s", "");
    DiskWriteFailures.Reason full = DiskWriteFailures.Reason.NO_SPACE;
    assertTrue(log.failed(full, key, dir, "No space left on device", 10, 0, 100, 0), "an episode begins");
    for (int i = 0; i < 1000; i++) {
      assertFalse(log.failed(full, key, dir, "No space left on device", 10, 0, 100, 0));
    }
    clock.addAndGet(Duration.ofSeconds(10).toNanos());
    log.succeeded();

    clock.addAndGet(Duration.ofSeconds(10).toNanos());
    assertFalse(log.failed(full, key, dir, "No space left on device", 10, 0, 100, 0),
        "a new episode within a minute of the last warning is only counted");
    log.succeeded();
    clock.addAndGet(Duration.ofSeconds(41).toNanos());
    assertTrue(log.failed(full, key, dir, "No space left on device", 10, 0, 100, 0),
        "a minute after the last warning, a new episode is said again");
    clock.addAndGet(Duration.ofMinutes(5).toNanos());
    assertFalse(log.failed(full, key, dir, "No space left on device", 10, 0, 100, 0),
        "and an episode, however long, once");
    assertEquals(1004, registry.find("edge_disk_write_failures_total").tag("reason", "no_space").counter().count());
  }

  @Test
  void aFailureIsClassifiedByWhatTheFileSystemSaid() {
    assertEquals(DiskWriteFailures.Reason.NO_SPACE, DiskWriteFailures.reasonOf(new IOException("No space left on device")));
    assertEquals(DiskWriteFailures.Reason.NO_SPACE,
        DiskWriteFailures.reasonOf(new java.nio.file.FileSystemException("/x", null, "Disk quota exceeded")));
    assertEquals(DiskWriteFailures.Reason.IO_ERROR, DiskWriteFailures.reasonOf(new IOException("Input/output error")));
    assertEquals(DiskWriteFailures.Reason.IO_ERROR, DiskWriteFailures.reasonOf(new IOException()));
  }
}
