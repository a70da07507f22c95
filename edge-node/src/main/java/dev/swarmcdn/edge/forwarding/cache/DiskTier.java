package dev.swarmcdn.edge.forwarding.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The disk tier: one file per object under a folder, bounded by bytes, surviving restarts. Files are
 * written under a temporary name and renamed into place, so a crash leaves a stray temporary file
 * (removed at the next start), never a half-written object under its real name; each file ends with
 * a SHA-256 of its contents, checked on every read, so a damaged file is dropped, never served.
 *
 * <p>All methods block on file I/O: call them from worker threads only.
 */
public final class DiskTier {

  private static final String SUFFIX = ".obj";
  private static final String TEMP_MARK = ".tmp-";
  private static final int MAX_HEADER = 256 * 1024;
  private static final int IO_CHUNK = 64 * 1024;

  /** Where an object lives and its size; told by the removal listener when evicted for space. */
  private static final class Entry {
    final Path file;
    final long size;
    volatile boolean evictedForSpace;

    Entry(Path file, long size) {
      this.file = file;
      this.size = size;
    }

    Path file() {
      return file;
    }

    long size() {
      return size;
    }
  }

  /** Opens the temporary file of a write; a seam for tests that need a real failing device. */
  @FunctionalInterface
  interface TempFileOpener {
    FileChannel open(Path temp) throws IOException;

    TempFileOpener FILE_SYSTEM = temp -> FileChannel.open(temp, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
  }

  private final Path root;
  private final long maxBytes;
  private final ByteBufAllocator allocator;
  private final TempFileOpener opener;
  private final DiskWriteFailures failures;
  private final Cache<CacheKey, Entry> index;
  private final AtomicLong bytes = new AtomicLong();
  private final Counter damaged;
  private final Counter written;

  private DiskTier(Path root, long maxBytes, ByteBufAllocator allocator, MeterRegistry registry,
      TempFileOpener opener) {
    this.root = root;
    this.maxBytes = maxBytes;
    this.allocator = allocator;
    this.opener = opener;
    this.failures = new DiskWriteFailures(root, registry, System::nanoTime);
    this.index = Caffeine.newBuilder()
        .maximumWeight(maxBytes)
        .weigher((CacheKey key, Entry entry) -> (int) Math.min(Integer.MAX_VALUE, entry.size()))
        .removalListener((CacheKey key, Entry entry, RemovalCause cause) -> {
          if (entry == null) {
            return;
          }
          bytes.addAndGet(-entry.size());
          if (cause == RemovalCause.SIZE) {
            entry.evictedForSpace = true;
          }
          // A replaced entry's file was already overwritten by the rename: keep it.
          if (cause != RemovalCause.REPLACED) {
            deleteQuietly(entry.file());
          }
        })
        .executor(Runnable::run)
        .build();
    this.damaged = Counter.builder("edge_disk_damaged_total")
        .description("Disk cache files found damaged or half-written and dropped").register(registry);
    this.written = Counter.builder("edge_disk_writes_total")
        .description("Objects written to the disk cache and kept there").register(registry);
    Gauge.builder(MemoryTier.CACHE_BYTES, bytes, AtomicLong::get).tag("tier", "disk")
        .description(MemoryTier.CACHE_BYTES_HELP).register(registry);
    Gauge.builder(MemoryTier.CACHE_ENTRIES, index, c -> c.estimatedSize()).tag("tier", "disk")
        .description(MemoryTier.CACHE_ENTRIES_HELP).register(registry);
  }

  /**
   * Opens the folder, creating it if needed, and indexes what an earlier run left: temporary files
   * are removed, files whose size disagrees with their header are dropped as damaged.
   */
  public static DiskTier open(Path root, long maxBytes, ByteBufAllocator allocator, MeterRegistry registry) {
    return open(root, maxBytes, allocator, registry, TempFileOpener.FILE_SYSTEM);
  }

  static DiskTier open(Path root, long maxBytes, ByteBufAllocator allocator, MeterRegistry registry,
      TempFileOpener opener) {
    DiskTier tier = new DiskTier(root, maxBytes, allocator, registry, opener);
    try {
      Files.createDirectories(root);
      try (Stream<Path> files = Files.walk(root)) {
        files.filter(Files::isRegularFile).forEach(tier::adopt);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open disk cache " + root, e);
    }
    return tier;
  }

  private void adopt(Path file) {
    String name = file.getFileName().toString();
    if (name.contains(TEMP_MARK) || !name.endsWith(SUFFIX)) {
      deleteQuietly(file);
      return;
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      DiskRecord.Header header = readHeader(channel, channel.size());
      if (header == null || !file.equals(fileOf(header.key()))) {
        dropDamaged(file);
        return;
      }
      index(header.key(), new Entry(file, channel.size()));
    } catch (IOException e) {
      dropDamaged(file);
    }
  }

  public boolean contains(CacheKey key) {
    return index.getIfPresent(key) != null;
  }

  /**
   * Reads an object back with its checksum verified: a stored response owning one reference on its
   * body, or null when absent or damaged (then it is gone from disk too).
   */
  public StoredResponse read(CacheKey key) {
    Entry entry = index.getIfPresent(key);
    if (entry == null) {
      return null;
    }
    PagedBody body = null;
    try (FileChannel channel = FileChannel.open(entry.file(), StandardOpenOption.READ)) {
      long size = channel.size();
      MessageDigest digest = sha256();
      DiskRecord.Header header = readHeader(channel, size);
      if (header == null || !header.key().equals(key)) {
        throw new IOException("header damaged");
      }
      ByteBuffer start = ByteBuffer.allocate((int) channel.position());
      channel.read(start, 0);
      digest.update(start.flip());
      body = new PagedBody(allocator);
      body.expect(header.bodyLength());
      ByteBuffer chunk = ByteBuffer.allocateDirect(IO_CHUNK);
      long remaining = header.bodyLength();
      while (remaining > 0) {
        chunk.clear().limit((int) Math.min(IO_CHUNK, remaining));
        if (channel.read(chunk) < 0) {
          throw new IOException("body ends early");
        }
        chunk.flip();
        remaining -= chunk.remaining();
        digest.update(chunk.duplicate());
        body.append(Unpooled.wrappedBuffer(chunk));
      }
      ByteBuffer trailer = ByteBuffer.allocate(DiskRecord.TRAILER);
      while (trailer.hasRemaining() && channel.read(trailer) >= 0) {
        // read the trailer fully
      }
      if (trailer.hasRemaining() || !MessageDigest.isEqual(trailer.array(), digest.digest())) {
        throw new IOException("checksum mismatch");
      }
      return header.toStored(body);
    } catch (IOException | RuntimeException e) {
      if (body != null) {
        body.release();
      }
      index.invalidate(key);
      damaged.increment();
      return null;
    }
  }

  /**
   * Writes an object (temporary file, then rename). The caller keeps its reference on the body. A
   * write that stores nothing (the file system fails it, or the tier at its bound keeps what it has
   * rather than the newcomer) is counted and logged ({@link DiskWriteFailures}); the object stays
   * wherever else the caller keeps it (the memory tier), and no file of it is left behind.
   *
   * @return whether the object is on disk now
   */
  public boolean write(CacheKey key, StoredResponse stored) {
    Path file = fileOf(key);
    Path temp = file.resolveSibling(file.getFileName() + TEMP_MARK + Thread.currentThread().getId());
    try {
      Files.createDirectories(file.getParent());
      MessageDigest digest = sha256();
      try (FileChannel channel = opener.open(temp)) {
        ByteBuffer header = DiskRecord.encodeHeader(DiskRecord.Header.of(key, stored));
        digest.update(header.duplicate());
        writeFully(channel, header);
        long offset = 0;
        while (offset < stored.length()) {
          ByteBuf slice = stored.body().slice(offset, IO_CHUNK);
          offset += slice.readableBytes();
          for (ByteBuffer part : slice.nioBuffers()) {
            digest.update(part.duplicate());
            writeFully(channel, part);
          }
        }
        writeFully(channel, ByteBuffer.wrap(digest.digest()));
      }
      long size = Files.size(temp);
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      Entry entry = new Entry(file, size);
      index(key, entry);
      // Run now whatever eviction this entry caused, so a refusal is seen by this write.
      index.cleanUp();
      if (entry.evictedForSpace) {
        DiskWriteFailures.Reason reason = size > maxBytes
            ? DiskWriteFailures.Reason.TOO_LARGE : DiskWriteFailures.Reason.TIER_FULL;
        failures.failed(reason, key, file, reason == DiskWriteFailures.Reason.TOO_LARGE
                ? "larger than the whole tier" : "the tier is full and kept what it had rather than this",
            size, bytes.get(), maxBytes, usableSpace());
        return false;
      }
      written.increment();
      failures.succeeded();
      return true;
    } catch (IOException e) {
      deleteQuietly(temp);
      // An older copy of the key on disk is not what the memory tier now holds (a 304 refreshed
      // it, or a new version replaced it): it must not come back after a restart.
      index.invalidate(key);
      failures.failed(DiskWriteFailures.reasonOf(e), key, temp, e.toString(),
          DiskRecord.PREAMBLE + stored.length() + DiskRecord.TRAILER, bytes.get(), maxBytes, usableSpace());
      return false;
    }
  }

  private long usableSpace() {
    try {
      return Files.getFileStore(root).getUsableSpace();
    } catch (IOException e) {
      return -1;
    }
  }

  public void invalidate(CacheKey key) {
    index.invalidate(key);
  }

  public int invalidateIf(Predicate<CacheKey> matches) {
    return CacheKeys.removeMatching(index.asMap().keySet(), matches);
  }


  public long bytes() {
    return bytes.get();
  }

  public long size() {
    return index.estimatedSize();
  }

  private void index(CacheKey key, Entry entry) {
    bytes.addAndGet(entry.size());
    index.put(key, entry);
  }

  /** Reads preamble and header; null if the file cannot be a record of the size it has. */
  private static DiskRecord.Header readHeader(FileChannel channel, long size) throws IOException {
    if (size < DiskRecord.PREAMBLE + DiskRecord.TRAILER) {
      return null;
    }
    ByteBuffer preamble = ByteBuffer.allocate(DiskRecord.PREAMBLE);
    channel.read(preamble, 0);
    preamble.flip();
    if (preamble.remaining() < DiskRecord.PREAMBLE || preamble.getInt() != DiskRecord.MAGIC
        || preamble.getShort() != DiskRecord.VERSION) {
      return null;
    }
    int headerLength = preamble.getInt();
    if (headerLength <= 0 || headerLength > MAX_HEADER
        || DiskRecord.PREAMBLE + headerLength + DiskRecord.TRAILER > size) {
      return null;
    }
    ByteBuffer encoded = ByteBuffer.allocate(headerLength);
    channel.read(encoded, DiskRecord.PREAMBLE);
    if (encoded.hasRemaining()) {
      return null;
    }
    DiskRecord.Header header = DiskRecord.decodeHeader(encoded.array());
    if (DiskRecord.PREAMBLE + headerLength + header.bodyLength() + DiskRecord.TRAILER != size) {
      return null;
    }
    channel.position(DiskRecord.PREAMBLE + headerLength);
    return header;
  }

  private Path fileOf(CacheKey key) {
    String hex = HexFormat.of().formatHex(sha256().digest(key.toString().getBytes(StandardCharsets.UTF_8)));
    return root.resolve(hex.substring(0, 2)).resolve(hex.substring(2) + SUFFIX);
  }

  private void dropDamaged(Path file) {
    damaged.increment();
    deleteQuietly(file);
  }

  private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // Left behind: the next start's scan drops it.
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
