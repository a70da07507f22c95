package dev.swarmcdn.peer.simulate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's CPU time and resident memory at one moment, from Linux's /proc: measured from outside
 * the process, so what the tracker costs is read off the tracker alone.
 *
 * @param cpuTicks  user + system time, in clock ticks ({@code getconf CLK_TCK})
 * @param rssKib    resident set size
 */
record ProcessSample(long cpuTicks, long rssKib) {

  static ProcessSample of(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime: fields 14 and 15
    long rss = 0;
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return new ProcessSample(ticks, rss);
  }
}
