package dev.swarmcdn.chaos;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Damage done to an edge's disk tier while the edge is down, as a crash, a bad disk or a careless
 * operator would: every other file truncated in its body, the rest with one body byte flipped (the
 * size still right, so only the checksum can tell).
 */
final class DiskDamage {

  /** @param path the object's request path, read from the file's header (docs: DiskRecord) */
  record Damaged(Path file, String path, boolean truncated) {
  }

  private DiskDamage() {}

  static List<Damaged> apply(Path diskDir) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(diskDir)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    List<Damaged> damaged = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      Path file = files.get(i);
      String path = requestPath(file);
      if (path == null) {
        continue;
      }
      boolean truncate = i % 2 == 0;
      try (RandomAccessFile open = new RandomAccessFile(file.toFile(), "rw")) {
        // Half-way is inside the body: the header is a few hundred bytes, a segment thousands.
        long middle = open.length() / 2;
        if (truncate) {
          open.setLength(middle);
        } else {
          open.seek(middle);
          int b = open.read();
          open.seek(middle);
          open.write(b ^ 0x5a);
        }
      }
      damaged.add(new Damaged(file, path, truncate));
    }
    return damaged;
  }

  /**
   * The header's key: "SWCD", version, header length, then host and path as modified UTF-8; null for
   * a file the kill left half-written before its header (the edge's scan drops it anyway).
   */
  private static String requestPath(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file); DataInputStream data = new DataInputStream(in)) {
      data.skipNBytes(4 + 2 + 4);
      data.readUTF();
      return data.readUTF();
    } catch (java.io.EOFException halfWritten) {
      return null;
    }
  }
}
