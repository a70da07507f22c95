package dev.swarmcdn.origin.live;

import dev.swarmcdn.kit.http.Representation;
import dev.swarmcdn.origin.OriginConfig;
import dev.swarmcdn.origin.Rendition;
import dev.swarmcdn.origin.integrity.GeneratedRepresentation;
import dev.swarmcdn.origin.integrity.ManifestSigner;
import dev.swarmcdn.origin.packaging.MasterPlaylist;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live stream: its supervised ffmpeg packager, and one publisher per rendition fed by polling the
 * packager's playlists.
 *
 * <p>Why polling and not a WatchService: ffmpeg replaces each playlist by rename into a folder per
 * rendition, about once per segment. Reading a few small files four times a second costs nothing
 * measurable, adds at most a quarter second to a segment's latency, cannot miss or overflow events,
 * and behaves the same on every file system (inotify does not see changes on network or some
 * container file systems). The next poll is scheduled only when the previous one finished, so polls
 * never overlap and the publishers need no locking.
 */
final class LiveStream {

  private static final Logger LOG = LoggerFactory.getLogger(LiveStream.class);

  static final long POLL_MILLIS = 250;
  static final String MASTER_CACHE_CONTROL = "public, max-age=30";

  private final Vertx vertx;
  private final String name;
  private final Path dir;
  private final Path logFile;
  private final Path epochFile;
  private final PackagerSupervisor supervisor;
  private final Counter restarts;
  private final Map<String, RenditionPublisher> renditions = new LinkedHashMap<>();
  private final Representation master;
  private volatile boolean stopped;
  private long pollTimer = -1;

  LiveStream(Vertx vertx, OriginConfig config, String name, ManifestSigner signer, MeterRegistry registry) {
    this.vertx = vertx;
    this.name = name;
    this.dir = config.dataDir().resolve("live").resolve(name).toAbsolutePath();
    this.logFile = dir.resolveSibling(name + ".ffmpeg.log");
    this.restarts = Counter.builder("origin.live.packager.restarts")
        .description("ffmpeg packager restarts after it died").tag("stream", name).register(registry);
    this.epochFile = dir.resolveSibling(name + ".epoch");
    this.supervisor = new PackagerSupervisor(vertx, name, dir, logFile, epochFile,
        epoch -> PackagerCommand.build(config, dir, epoch),
        new RestartBackoff(Duration.ofMillis(500), Duration.ofSeconds(30),
            Duration.ofSeconds(Math.max(10, 3L * config.segmentSeconds()))),
        restarts);
    Timer hashing = Timer.builder("origin.live.segment.hash")
        .description("time to SHA-256 one live segment or init file").tag("stream", name).register(registry);
    String liveCacheControl = "public, max-age=" + Math.max(1, config.segmentSeconds() / 2);
    for (Rendition rendition : config.ladder()) {
      Tags tags = Tags.of("stream", name, "rendition", rendition.name());
      RenditionPublisher.Settings settings = new RenditionPublisher.Settings(
          "/live/" + name + "/" + rendition.name() + "/index.m3u8",
          config.windowSegments(), config.graceSeconds() * 1000L, config.segmentSeconds(),
          liveCacheControl,
          Counter.builder("origin.live.segments.published").tags(tags)
              .description("segments hashed and added to the live playlist").register(registry),
          hashing,
          windowGauge(registry, tags));
      renditions.put(rendition.name(),
          new RenditionPublisher(rendition.name(), dir.resolve(rendition.name()), settings, signer));
    }
    this.master = GeneratedRepresentation.of(
        MasterPlaylist.render(config.ladder(), config.frameRate()).getBytes(StandardCharsets.UTF_8),
        RenditionPublisher.PLAYLIST_TYPE, System.currentTimeMillis(), MASTER_CACHE_CONTROL);
  }
  /** Segments in a rendition's live playlist now: set by its publisher. */
  private static AtomicInteger windowGauge(MeterRegistry registry, Tags tags) {
    AtomicInteger segments = new AtomicInteger();
    Gauge.builder("origin.live.window.segments", segments, AtomicInteger::get).tags(tags)
        .description("Segments in the live playlist's window now").register(registry);
    return segments;
  }


  Future<Void> start() {
    return vertx.executeBlocking(() -> {
      // Go on from a previous run on this folder, however it ended: epochs numbered on from its
      // (no new file takes the name of one an edge may still cache), and in each rendition the
      // media and discontinuity sequences and the window it published (RenditionPublisher.restore).
      endOrphansOfEarlierRuns();
      int lastEpoch = lastEpoch();
      Files.deleteIfExists(logFile);
      Files.createDirectories(dir);
      try (Stream<Path> children = Files.list(dir)) {
        for (Path child : children.toList()) {
          if (!renditions.containsKey(child.getFileName().toString())) {
            deleteRecursively(child); // a rendition no longer in the ladder
          }
        }
      }
      long now = System.currentTimeMillis();
      int resumeAfter = lastEpoch;
      for (RenditionPublisher rendition : renditions.values()) {
        resumeAfter = Math.max(resumeAfter, rendition.restore(lastEpoch, now));
      }
      if (resumeAfter > lastEpoch) {
        // The epoch file is older than what was published (lost, or restored from a backup): the
        // published names must not be taken again.
        LOG.warn("live {}: {} says epoch {}, but epoch {} was published; epochs go on after {}", name,
            epochFile, lastEpoch, resumeAfter, resumeAfter);
      }
      supervisor.resumeAfter(resumeAfter);
      for (RenditionPublisher rendition : renditions.values()) {
        rendition.readAfter(resumeAfter);
      }
      return null;
    }, false).compose(v -> supervisor.start()).onSuccess(v -> schedulePoll());
  }

  /**
   * Ends an ffmpeg that an earlier origin run left writing into this stream's folder: one started
   * where {@link dev.swarmcdn.kit.run.ParentDeath} has no means, or in the instant between its fork and its parent-death
   * signal. Recognised by its output argument, which names this folder (see PackagerCommand).
   */
  private void endOrphansOfEarlierRuns() {
    String output = dir.toString() + "/%v/packager_e";
    long self = ProcessHandle.current().pid();
    ProcessHandle.allProcesses()
        .filter(process -> process.pid() != self)
        .filter(process -> process.info().arguments()
            .map(args -> Arrays.stream(args).anyMatch(arg -> arg.startsWith(output)))
            .orElse(false))
        .forEach(orphan -> {
          LOG.warn("live {}: ffmpeg pid {} of an earlier origin run still writes into {}; killing it",
              name, orphan.pid(), dir);
          orphan.destroyForcibly();
          try {
            orphan.onExit().get(PackagerSupervisor.STOP_BOUND.toMillis(), TimeUnit.MILLISECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (ExecutionException | TimeoutException e) {
            LOG.warn("live {}: pid {} did not end within {}", name, orphan.pid(), PackagerSupervisor.STOP_BOUND);
          }
        });
  }

  private int lastEpoch() throws IOException {
    if (!Files.exists(epochFile)) {
      return 0;
    }
    try {
      return Math.max(0, Integer.parseInt(Files.readString(epochFile, StandardCharsets.US_ASCII).strip()));
    } catch (NumberFormatException e) {
      // Unreadable: numbering from the clock still avoids the earlier run's names.
      LOG.warn("live {}: {} is unreadable; epochs continue from the time", name, epochFile);
      return (int) (System.currentTimeMillis() / 1000 % 1_000_000_000);
    }
  }

  Future<Void> stop() {
    stopped = true;
    vertx.cancelTimer(pollTimer);
    return supervisor.stop();
  }

  private void schedulePoll() {
    if (stopped) {
      return;
    }
    pollTimer = vertx.setTimer(POLL_MILLIS, id -> vertx.executeBlocking(() -> {
      int epoch = supervisor.epoch();
      long now = System.currentTimeMillis();
      for (RenditionPublisher rendition : renditions.values()) {
        rendition.poll(epoch, now);
      }
      return null;
    }, false).onComplete(polled -> {
      if (polled.failed()) {
        LOG.warn("live {}: poll failed", name, polled.cause());
      }
      schedulePoll();
    }));
  }

  Representation master() {
    return master;
  }

  RenditionPublisher rendition(String renditionName) {
    return renditions.get(renditionName);
  }

  /** Every rendition has published at least one segment. */
  boolean ready() {
    return renditions.values().stream().allMatch(r -> r.published().hasSegments());
  }

  JsonObject status() {
    JsonObject byRendition = new JsonObject();
    renditions.forEach((renditionName, publisher) -> {
      PublishedRendition now = publisher.published();
      byRendition.put(renditionName, new JsonObject()
          .put("mediaSequence", now.mediaSequence())
          .put("discontinuitySequence", now.discontinuitySequence())
          .put("windowSegments", now.windowSegments()));
    });
    JsonObject status = new JsonObject()
        .put("epoch", supervisor.epoch())
        .put("restarts", (long) restarts.count())
        .put("ready", ready())
        .put("renditions", byRendition);
    supervisor.pid().ifPresent(pid -> status.put("ffmpegPid", pid));
    return status;
  }

  private static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
