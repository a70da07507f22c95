package dev.swarmcdn.origin.integrity;

import dev.swarmcdn.protocol.integrity.ManifestEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of byte arrays and of files; files are streamed, never read whole onto the heap. */
public final class Sha256 {

  private static final int CHUNK = 64 * 1024;

  /**
   * One direct buffer per hashing thread (the worker pool is small and fixed): reading a file
   * channel into a direct buffer skips the JDK's copy through a temporary native buffer.
   */
  private static final ThreadLocal<ByteBuffer> BUFFERS =
      ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(CHUNK));

  private Sha256() {}

  public static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(digest().digest(bytes));
  }

  /**
   * Blocking. The size is what was actually read and hashed, so size and hash always describe the same
   * bytes.
   *
   * @param uri the name the manifest lists the file under
   */
  public static ManifestEntry entry(Path file, String uri) throws IOException {
    MessageDigest digest = digest();
    ByteBuffer buffer = BUFFERS.get();
    long size = 0;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      buffer.clear();
      while (channel.read(buffer) >= 0) {
        buffer.flip();
        size += buffer.remaining();
        digest.update(buffer);
        buffer.clear();
      }
    }
    return new ManifestEntry(uri, size, HexFormat.of().formatHex(digest.digest()));
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
