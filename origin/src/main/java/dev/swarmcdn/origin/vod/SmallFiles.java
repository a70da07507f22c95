package dev.swarmcdn.origin.vod;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;

/**
 * The bodies of small files (playlists, init segments, manifests on disk), read once per version
 * of the file and kept in memory. For a 2 KB playlist, opening the file and setting up sendfile
 * costs more than the bytes do: serving it from memory raised the origin's playlist throughput by
 * about 40% (load-tests/origin). Large files (segments) still go out by sendfile and are never read.
 *
 * <p>A version is the file's path, size and modification time, checked on every lookup, so a
 * rewritten file is never served under an older version's validators. Blocking: call from workers.
 */
final class SmallFiles {

  /** Files up to this size are served from memory. */
  static final long MAX_SIZE = 64 * 1024;
  private static final long MAX_TOTAL = 64L * 1024 * 1024;

  private record Version(Path file, long size, long modifiedNanos) {}

  private final Cache<Version, Buffer> bodies = Caffeine.newBuilder()
      .maximumWeight(MAX_TOTAL)
      .weigher((Version version, Buffer body) -> body.length())
      .build();

  /** The file's bytes, or null when it is too large to keep. */
  Buffer body(Path file, BasicFileAttributes attributes) throws IOException {
    if (attributes.size() > MAX_SIZE) {
      return null;
    }
    Version version = new Version(file, attributes.size(),
        attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS));
    Buffer known = bodies.getIfPresent(version);
    if (known != null) {
      return known;
    }
    byte[] bytes = Files.readAllBytes(file);
    if (bytes.length != attributes.size()) {
      // Changed between stat and read: serve what was read, keep nothing.
      return Buffer.buffer(bytes);
    }
    Buffer body = Buffer.buffer(bytes);
    bodies.put(version, body);
    return body;
  }
}
