package dev.swarmcdn.edge.forwarding.cache;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Disk-tier writes that stored nothing: counted in {@code edge_disk_write_failures_total{reason}},
 * and said in the log without flooding it. An <em>episode</em> runs from a failure to the next write
 * that stores its object. Its first failure is logged at WARN, with the object, the file and the
 * sizes involved, and its end at INFO with the number of writes that failed in it; the failures in
 * between are only counted. An episode that begins less than {@link #WARN_INTERVAL_NANOS} after the
 * last warning (a tier that stores and refuses by turns) is not logged at all: its failures are
 * summed up in the next warning. Never a stack trace: the reason is the exception's one line.
 * Thread-safe.
 */
final class DiskWriteFailures {

  private static final Logger LOG = LoggerFactory.getLogger(DiskTier.class);

  /** At most one warning a minute, however many writes fail. */
  static final long WARN_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

  /** Why a write stored nothing; the tag value is the lower-case name. */
  enum Reason {
    /** The file system said so: ENOSPC or a quota (EDQUOT). */
    NO_SPACE,
    /** Any other I/O error. */
    IO_ERROR,
    /** Larger than the whole tier: it can never be kept. */
    TOO_LARGE,
    /** The tier is at its bound and kept what it had rather than the newcomer (Caffeine's admission). */
    TIER_FULL;

    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Path root;
  private final Map<Reason, Counter> counters = new EnumMap<>(Reason.class);
  private final LongSupplier nanoClock;
  /** Written under the lock, read without it by {@link #succeeded}'s fast path. */
  private volatile boolean inEpisode;
  private boolean episodeWarned;
  private long episodeFailures;
  private boolean everWarned;
  private long lastWarnNanos;
  /** Failures of episodes that were not logged, since the last warning. */
  private long unsaid;

  DiskWriteFailures(Path root, MeterRegistry registry, LongSupplier nanoClock) {
    this.root = root;
    this.nanoClock = nanoClock;
    for (Reason reason : Reason.values()) {
      counters.put(reason, Counter.builder("edge_disk_write_failures_total").tag("reason", reason.tag())
          .description("Disk cache writes that stored nothing (the object stays served from memory)")
          .register(registry));
    }
  }

  static Reason reasonOf(IOException e) {
    String message = String.valueOf(e.getMessage());
    return message.contains("No space left on device") || message.contains("Disk quota exceeded")
        ? Reason.NO_SPACE : Reason.IO_ERROR;
  }

  /**
   * Counts a failed write and logs it if it opens an episode and no warning went out in the last
   * minute; returns whether it logged.
   *
   * @param detail what happened, in a few words (the exception's message, or the tier's refusal)
   * @param objectBytes  the size the object would have taken on disk
   * @param tierBytes    what the tier holds now
   * @param tierMaxBytes the tier's bound
   * @param usableBytes  what the file system still offers, or -1 if unknown
   */
  boolean failed(Reason reason, CacheKey key, Path file, String detail, long objectBytes, long tierBytes,
      long tierMaxBytes, long usableBytes) {
    counters.get(reason).increment();
    long unsaidBefore;
    synchronized (this) {
      if (inEpisode) {
        episodeFailures++;
        if (!episodeWarned) {
          unsaid++;
        }
        return false;
      }
      inEpisode = true;
      episodeFailures = 1;
      long now = nanoClock.getAsLong();
      episodeWarned = !everWarned || now - lastWarnNanos >= WARN_INTERVAL_NANOS;
      if (!episodeWarned) {
        unsaid++;
        return false;
      }
      everWarned = true;
      lastWarnNanos = now;
      unsaidBefore = unsaid;
      unsaid = 0;
    }
    LOG.warn("disk cache {}: cannot store {} ({} bytes) as {}: {} [{}]; the tier holds {} of {} bytes, the file"
            + " system offers {} more; the object stays served from memory{}. Until a write succeeds again,"
            + " failures are only counted in edge_disk_write_failures_total",
        root, key, objectBytes, file, detail, reason.tag(), tierBytes, tierMaxBytes,
        usableBytes < 0 ? "?" : Long.toString(usableBytes),
        unsaidBefore == 0 ? "" : "; " + unsaidBefore + " writes failed unlogged since the last warning");
    return true;
  }

  /** A write stored its object: ends an episode, and says so if its start was said. */
  void succeeded() {
    if (!inEpisode) {
      return; // the common case, without taking the lock
    }
    long failures;
    synchronized (this) {
      if (!inEpisode) {
        return;
      }
      inEpisode = false;
      if (!episodeWarned) {
        return;
      }
      failures = episodeFailures;
    }
    LOG.info("disk cache {}: stores again, after {} failed writes", root, failures);
  }
}
