package dev.swarmcdn.peer.rtc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** What a leak of native peer connections would show from outside: threads, sockets, memory. */
final class Leaks {
  /** The process at one moment, as Linux counts it (native threads included). */
  record Snapshot(int threads, int descriptors, long rssMb) {}

  private Leaks() {}

  static Snapshot snapshot() {
    return new Snapshot(count("/proc/self/task"), count("/proc/self/fd"), rssMb());
  }

  private static int count(String directory) {
    try (Stream<Path> entries = Files.list(Path.of(directory))) {
      return (int) entries.count();
    } catch (IOException e) {
      throw new IllegalStateException("reading " + directory, e);
    }
  }

  private static long rssMb() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream()
          .filter(line -> line.startsWith("VmRSS:"))
          .mapToLong(line -> Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024)
          .findFirst().orElse(-1);
    } catch (IOException e) {
      return -1;
    }
  }
}
