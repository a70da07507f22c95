package dev.swarmcdn.edge.forwarding.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.vertx.core.MultiMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The disk tier on real files in a temporary folder: round trips, restarts, damage, bounds. */
class DiskTierTest {

  private static final CacheKey KEY = new CacheKey("origin", "/vod/seg_1.m4s", "");

  @TempDir Path dir;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private DiskTier open(long maxBytes) {
    return DiskTier.open(dir, maxBytes, UnpooledByteBufAllocator.DEFAULT, registry);
  }

  private static byte[] random(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }

  private static StoredResponse stored(byte[] bytes) {
    PagedBody body = new PagedBody(UnpooledByteBufAllocator.DEFAULT);
    body.expect(bytes.length);
    body.append(Unpooled.wrappedBuffer(bytes));
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "video/mp4").add("ETag", "\"e\"");
    return new StoredResponse(200, headers, "\"e\"", null, bytes.length, body, 1_000, 1_100, 7, 1_050,
        3_600_000, 2_000, 60_000, false);
  }

  private List<Path> files() throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).toList();
    }
  }

  private double damaged() {
    return registry.get("edge_disk_damaged_total").counter().count();
  }

  @Test
  void anObjectReadsBackAsItWasWrittenAfterARestartToo() {
    byte[] bytes = random(300_000);
    StoredResponse written = stored(bytes);
    assertTrue(open(1L << 20).write(KEY, written));
    written.body().release();

    DiskTier restarted = open(1L << 20);
    assertTrue(restarted.contains(KEY));
    StoredResponse read = restarted.read(KEY);
    assertNotNull(read);
    assertArrayEquals(bytes, PagedBodies.copy(read.body(), read.length()));
    assertEquals("video/mp4", read.headers().get("Content-Type"));
    assertEquals("\"e\"", read.etag());
    assertEquals(3_600_000, read.freshFor());
    assertEquals(1_100, read.responseTime());
    assertEquals(7, read.ageSeconds());
    assertEquals(1, read.body().refCnt(), "the caller owns the one reference");
    read.body().release();
    assertNull(restarted.read(new CacheKey("origin", "/vod/other.m4s", "")));
  }

  @Test
  void aDamagedFileIsDroppedNotServed() throws IOException {
    DiskTier tier = open(1L << 20);
    StoredResponse written = stored(random(10_000));
    tier.write(KEY, written);
    written.body().release();
    Path file = files().get(0);
    byte[] content = Files.readAllBytes(file);
    content[content.length / 2] ^= 1;
    Files.write(file, content);

    assertNull(tier.read(KEY), "the checksum does not match");
    assertFalse(tier.contains(KEY));
    assertEquals(1, damaged());
    assertTrue(files().isEmpty(), "the damaged file is gone");
  }

  @Test
  void theStartUpScanDropsTemporaryAndInconsistentFiles() throws IOException {
    DiskTier tier = open(1L << 20);
    StoredResponse written = stored(random(1_000));
    tier.write(KEY, written);
    written.body().release();
    Path file = files().get(0);
    Path temp = file.resolveSibling(file.getFileName() + ".tmp-7");
    Files.write(temp, new byte[] {1, 2, 3});
    Path cut = file.resolveSibling("0".repeat(62) + ".obj");
    Files.write(cut, Files.readAllBytes(file), java.nio.file.StandardOpenOption.CREATE_NEW);
    Files.write(cut, new byte[] {9}, java.nio.file.StandardOpenOption.APPEND);

    DiskTier restarted = open(1L << 20);
    assertEquals(1, restarted.size());
    assertEquals(List.of(file), files(), "the temporary file and the one longer than its record are gone");
    assertEquals(1, damaged());
  }

  @Test
  void invalidatingRemovesTheFile() throws IOException {
    DiskTier tier = open(1L << 20);
    CacheKey live = new CacheKey("origin", "/live/seg_1.m4s", "");
    for (CacheKey key : List.of(KEY, live)) {
      StoredResponse written = stored(random(500));
      tier.write(key, written);
      written.body().release();
    }
    assertEquals(1, tier.invalidateIf(key -> key.path().startsWith("/live/")));
    assertFalse(tier.contains(live));
    tier.invalidate(KEY);
    assertEquals(0, tier.size());
    assertEquals(0, tier.bytes());
    assertTrue(files().isEmpty());
  }

  @Test
  void anObjectLargerThanTheTierIsRefusedAndLeavesNoFile() throws IOException {
    DiskTier tier = open(4_096);
    StoredResponse written = stored(random(10_000));
    assertFalse(tier.write(KEY, written));
    written.body().release();
    assertFalse(tier.contains(KEY));
    assertTrue(files().isEmpty());
    assertEquals(1, registry.get("edge_disk_write_failures_total").tag("reason", "too_large").counter().count());
  }
}
