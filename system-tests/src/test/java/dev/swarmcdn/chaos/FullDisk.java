package dev.swarmcdn.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A file system that fills up for real: a small tmpfs mounted on the edge's disk folder in a mount
 * namespace of the edge's own ({@code unshare -m}), so that the kernel answers ENOSPC and the mount
 * ends with the process, whatever kills it. Needs the right to mount (root here); without it the
 * scenario is skipped, and {@code DiskWriteFailureTest} still covers ENOSPC in-process with /dev/full.
 */
final class FullDisk {
  private FullDisk() {}

  /** What the edge's JVM runs under: a {@code kib} KiB tmpfs on {@code mountPoint}, then the JVM. */
  static List<String> wrapper(Path mountPoint, int kib) {
    return List.of("unshare", "-m", "sh", "-c",
        "mount -t tmpfs -o size=" + kib + "k chaos-full \"$0\" && exec \"$@\"", mountPoint.toString());
  }

  /** Whether this machine lets us mount a tmpfs in a mount namespace of our own. */
  static boolean available(Path scratch) {
    try {
      Files.createDirectories(scratch);
      List<String> command = new ArrayList<>(wrapper(scratch, 4));
      command.add("true");
      Process probe = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0;
    } catch (Exception e) {
      return false;
    }
  }
}
