package dev.swarmcdn.origin.live;

import dev.swarmcdn.kit.http.Representation;
import dev.swarmcdn.origin.integrity.GeneratedRepresentation;
import dev.swarmcdn.origin.integrity.ManifestSigner;
import dev.swarmcdn.origin.integrity.MediaPlaylist;
import dev.swarmcdn.origin.integrity.Sha256;
import dev.swarmcdn.origin.live.PublishedState.Init;
import dev.swarmcdn.origin.live.PublishedState.Retired;
import dev.swarmcdn.protocol.integrity.ManifestContent;
import dev.swarmcdn.protocol.integrity.ManifestEntry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what ffmpeg lists for one rendition into what the origin publishes: hashes each new segment,
 * numbers it in one continuous media sequence across packager epochs, slides the window, signs the
 * manifest, and deletes files once they left the window and their grace period.
 *
 * <p>{@link #poll} blocks (file reads, hashing, deletion) and is called by one thread at a time;
 * {@link #published()} may be read from any thread.
 */
final class RenditionPublisher {

  private static final Logger LOG = LoggerFactory.getLogger(RenditionPublisher.class);

  static final String SEGMENT_TYPE = "video/iso.segment";
  static final String INIT_TYPE = "video/mp4";
  static final String PLAYLIST_TYPE = "application/vnd.apple.mpegurl";
  static final String IMMUTABLE = "public, max-age=31536000, immutable";

  /** Settings and meters of one rendition. */
  record Settings(String playlistPath, int windowSegments, long graceMillis, int segmentSeconds,
      String liveCacheControl, Counter published, Timer hashing, AtomicInteger windowGauge) {}

  private final String name;
  private final Path dir;
  private final Settings settings;
  private final ManifestSigner signer;

  private final Deque<LiveSegment> window = new ArrayDeque<>();
  private final Deque<Retired> retired = new ArrayDeque<>();
  private final Map<String, Init> inits = new HashMap<>();
  /** Dropped from the served snapshot in one poll, deleted in the next: no request still starts on them. */
  private List<Path> deleteNextPoll = new ArrayList<>();
  private int readingEpoch = 1;
  private long nextPackagerIndex;
  private int lastPublishedEpoch;
  private long nextSequence;
  private long discontinuities;
  private int targetDuration;
  /** Whether the last write of the state file failed: said once, and once more when it works again. */
  private boolean stateWriteFailing;
  private volatile PublishedRendition published = PublishedRendition.NOTHING_YET;

  RenditionPublisher(String name, Path dir, Settings settings, ManifestSigner signer) {
    this.name = name;
    this.dir = dir;
    this.settings = settings;
    this.signer = signer;
    this.targetDuration = settings.segmentSeconds();
  }

  String name() {
    return name;
  }

  PublishedRendition published() {
    return published;
  }

  /**
   * Goes on from what an earlier origin run on this folder published, however that run ended (see
   * {@link PublishedState}); once, before the first poll. The numbering goes on where it stopped, so
   * that players and edges holding the old window see a continuation: the next segment, of a new
   * epoch, takes the next media sequence number, after a discontinuity and with its own init
   * segment. The old window is published again as it was, as far as its files are still there
   * whole (the newest segments whose files have the size and hash the manifests vouched for); every
   * other file in the folder (what a crashed ffmpeg left unpublished, its own playlists) goes.
   *
   * <p>No state file: nothing was published here, numbering starts at 0. An unreadable one (it is
   * written atomically, so only damage does that) is said at ERROR and numbering goes on from the
   * clock, seconds since 1970 divided by the segment duration: above any number a stream can have
   * reached since, so nothing goes backwards and no number names other bytes.
   *
   * @param lastEpoch the newest epoch an earlier run started, as far as the stream knows
   * @return the newest epoch this folder's state names, or {@code lastEpoch} if that is newer: the
   *         stream's next epoch must come after both (see {@link #readAfter})
   */
  int restore(int lastEpoch, long nowMillis) throws IOException {
    readAfter(lastEpoch);
    Files.createDirectories(dir);
    Optional<PublishedState> saved;
    try {
      saved = PublishedState.read(dir);
    } catch (PublishedState.Unreadable e) {
      long fromClock = nowMillis / 1000 / settings.segmentSeconds();
      LOG.error("{}: {}; the numbering goes on from the clock: media sequence and discontinuity sequence {}",
          settings.playlistPath(), e.getMessage(), fromClock);
      nextSequence = fromClock;
      discontinuities = fromClock;
      lastPublishedEpoch = lastEpoch;
      deleteAllBut(Set.of());
      return lastEpoch;
    }
    if (saved.isEmpty()) {
      deleteAllBut(Set.of());
      return lastEpoch;
    }
    PublishedState state = saved.get();
    nextSequence = state.nextSequence();
    discontinuities = state.discontinuities();
    lastPublishedEpoch = state.lastPublishedEpoch();
    targetDuration = Math.max(targetDuration, state.targetDuration());
    for (Init init : state.inits()) {
      if (intact(init.entry())) {
        inits.put(init.entry().uri(), init);
      }
    }
    // A window is contiguous: it keeps the newest segments up to the first one that is not whole.
    Deque<LiveSegment> kept = new ArrayDeque<>();
    for (int i = state.window().size() - 1; i >= 0; i--) {
      LiveSegment segment = state.window().get(i);
      if (!inits.containsKey(segment.initUri()) || !intact(segment.entry())) {
        break;
      }
      kept.addFirst(segment);
    }
    window.addAll(kept);
    for (Retired old : state.retired()) {
      if (inits.containsKey(old.segment().initUri()) && intact(old.segment().entry())) {
        retired.addLast(old);
      }
    }
    Set<String> keep = new HashSet<>(inits.keySet());
    window.forEach(segment -> keep.add(segment.uri()));
    retired.forEach(old -> keep.add(old.segment().uri()));
    deleteAllBut(keep);
    LOG.info("{}: goes on after epoch {} from media sequence {}, discontinuity sequence {}; {} of {} window"
        + " segments still served", settings.playlistPath(), lastPublishedEpoch, nextSequence, discontinuities,
        window.size(), state.window().size());
    if (!window.isEmpty()) {
      publish(nowMillis);
    }
    int newest = Math.max(lastEpoch, state.lastPublishedEpoch());
    for (LiveSegment segment : state.window()) {
      newest = Math.max(newest, segment.epoch());
    }
    return newest;
  }

  /**
   * The packager's next epoch comes after {@code epoch}: its playlist is read from there on. Before
   * the first poll.
   */
  void readAfter(int epoch) {
    readingEpoch = epoch + 1;
  }

  /** Whether a file the state lists is on disk with the size and hash the manifests gave it. */
  private boolean intact(ManifestEntry entry) throws IOException {
    Path file = dir.resolve(entry.uri());
    if (!Files.isRegularFile(file) || Files.size(file) != entry.size()) {
      return false;
    }
    return hash(entry.uri()).sha256().equals(entry.sha256());
  }

  /** Deletes every file of the folder but the state file and those named in {@code keep}. */
  private void deleteAllBut(Set<String> keep) throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        String fileName = file.getFileName().toString();
        if (!keep.contains(fileName) && !PublishedState.isStateFile(fileName) && Files.isRegularFile(file)) {
          Files.delete(file);
        }
      }
    }
  }

  /**
   * @param latestEpoch the packager's newest epoch; every older epoch's process has exited, so its
   *                    playlist is final
   */
  void poll(int latestEpoch, long nowMillis) throws IOException {
    for (Path file : deleteNextPoll) {
      Files.deleteIfExists(file);
    }
    deleteNextPoll = new ArrayList<>();
    boolean changed = false;
    while (true) {
      changed |= ingest(readingEpoch, nowMillis);
      if (readingEpoch >= latestEpoch) {
        break;
      }
      removeLeftoversOf(readingEpoch);
      readingEpoch++;
      nextPackagerIndex = 0;
    }
    changed |= slide(nowMillis);
    boolean expired = expire(nowMillis);
    if (window.isEmpty()) {
      return;
    }
    if (changed) {
      publish(nowMillis);
    } else if (expired) {
      // Only files past their grace went: the playlist and manifest stay as they were, validators
      // included, so nobody refetches an unchanged playlist.
      published = published.withFiles(servedFiles());
    }
  }

  private boolean ingest(int epoch, long nowMillis) throws IOException {
    Path playlistFile = dir.resolve(PackagerCommand.playlistName(epoch));
    if (!Files.exists(playlistFile)) {
      return false;
    }
    // ffmpeg replaces its playlist by rename, so this read sees a whole version; and it lists a
    // segment only once the segment is complete.
    MediaPlaylist listed = MediaPlaylist.parse(Files.readString(playlistFile, StandardCharsets.UTF_8));
    boolean added = false;
    for (int i = 0; i < listed.segments().size(); i++) {
      long index = listed.mediaSequence() + i;
      if (index < nextPackagerIndex) {
        continue;
      }
      MediaPlaylist.Segment segment = listed.segments().get(i);
      boolean gap = index > nextPackagerIndex;
      if (gap) {
        LOG.warn("{}: missed packager segments {}..{} of epoch {}", settings.playlistPath(),
            nextPackagerIndex, index - 1, epoch);
      }
      publishable(epoch, segment, gap, nowMillis);
      nextPackagerIndex = index + 1;
      added = true;
    }
    return added;
  }

  private void publishable(int epoch, MediaPlaylist.Segment segment, boolean gap, long nowMillis)
      throws IOException {
    if (segment.initUri() == null) {
      throw new IOException("packager playlist without EXT-X-MAP: " + segment.uri());
    }
    if (!inits.containsKey(segment.initUri())) {
      inits.put(segment.initUri(), new Init(hash(segment.initUri()), nowMillis));
    }
    ManifestEntry entry = hash(segment.uri());
    boolean discontinuity = lastPublishedEpoch != 0 && (epoch != lastPublishedEpoch || gap);
    if (discontinuity) {
      discontinuities++;
    }
    window.addLast(new LiveSegment(nextSequence++, epoch, segment.durationSeconds(), discontinuity,
        discontinuities, segment.initUri(), segment.programDateTime(), entry, nowMillis));
    lastPublishedEpoch = epoch;
    targetDuration = Math.max(targetDuration, (int) Math.round(segment.durationSeconds()));
    settings.published().increment();
  }

  private ManifestEntry hash(String uri) throws IOException {
    long start = System.nanoTime();
    try {
      return Sha256.entry(dir.resolve(uri), uri);
    } finally {
      settings.hashing().record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
  }

  /** Slides the window: what leaves it is retired, still served for its grace period. */
  private boolean slide(long nowMillis) {
    boolean changed = false;
    while (window.size() > settings.windowSegments()) {
      retired.addLast(new Retired(window.removeFirst(), nowMillis));
      changed = true;
    }
    return changed;
  }

  /** Drops what has had its grace period, and init segments nothing refers to any more. */
  private boolean expire(long nowMillis) {
    boolean changed = false;
    while (!retired.isEmpty() && retired.peekFirst().atMillis() + settings.graceMillis() <= nowMillis) {
      deleteNextPoll.add(dir.resolve(retired.removeFirst().segment().uri()));
      changed = true;
    }
    Set<String> neededInits = new HashSet<>();
    window.forEach(segment -> neededInits.add(segment.initUri()));
    retired.forEach(old -> neededInits.add(old.segment().initUri()));
    var unneeded = inits.keySet().iterator();
    while (unneeded.hasNext()) {
      String uri = unneeded.next();
      if (!neededInits.contains(uri)) {
        deleteNextPoll.add(dir.resolve(uri));
        unneeded.remove();
        changed = true;
      }
    }
    return changed;
  }

  /**
   * An ended epoch's own playlist, any segment it was writing when it died, and its init segment
   * if it died before listing a segment, are never served: they go.
   */
  private void removeLeftoversOf(int epoch) throws IOException {
    Set<String> kept = new HashSet<>(inits.keySet());
    window.forEach(segment -> kept.add(segment.uri()));
    retired.forEach(old -> kept.add(old.segment().uri()));
    Files.deleteIfExists(dir.resolve(PackagerCommand.playlistName(epoch)));
    for (String prefix : List.of(PackagerCommand.segmentPrefix(epoch), PackagerCommand.initPrefix(epoch))) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, prefix + "*")) {
        for (Path file : files) {
          if (!kept.contains(file.getFileName().toString())) {
            Files.deleteIfExists(file);
          }
        }
      }
    }
  }

  private void publish(long nowMillis) {
    List<LiveSegment> listed = List.copyOf(window);
    Map<String, ManifestEntry> windowInits = new LinkedHashMap<>();
    List<ManifestEntry> entries = new ArrayList<>(listed.size());
    for (LiveSegment segment : listed) {
      windowInits.putIfAbsent(segment.initUri(), inits.get(segment.initUri()).entry());
      entries.add(segment.entry());
    }
    LiveSegment first = listed.get(0);
    ManifestContent content = new ManifestContent(settings.playlistPath(), first.sequence(),
        List.copyOf(windowInits.values()), entries);

    byte[] playlist = LivePlaylistWriter.render(listed, targetDuration).getBytes(StandardCharsets.UTF_8);
    published = new PublishedRendition(first.sequence(), first.discontinuitySequence(), listed.size(),
        GeneratedRepresentation.of(playlist, PLAYLIST_TYPE, nowMillis, settings.liveCacheControl()),
        signer.signedRepresentation(content, nowMillis, settings.liveCacheControl()),
        servedFiles());
    settings.windowGauge().set(listed.size());
    saveState();
  }

  /**
   * After every publication, so a later run goes on from here. A failure (a full disk) does not stop
   * publishing: the next publication tries again, and only a restart in between loses the newest
   * numbers (the state found is an older one: numbering then goes on from there).
   */
  private void saveState() {
    PublishedState state = new PublishedState(nextSequence, discontinuities, lastPublishedEpoch,
        targetDuration, List.copyOf(inits.values()), List.copyOf(window), List.copyOf(retired));
    try {
      state.write(dir);
      if (stateWriteFailing) {
        LOG.info("{}: the state file {} is written again", settings.playlistPath(), dir.resolve(PublishedState.FILE_NAME));
        stateWriteFailing = false;
      }
    } catch (IOException e) {
      if (!stateWriteFailing) {
        LOG.warn("{}: cannot write the state file {}: {}; an origin restart now would go on from an older state",
            settings.playlistPath(), dir.resolve(PublishedState.FILE_NAME), e.toString());
        stateWriteFailing = true;
      }
    }
  }

  /** Every init, the window and the retired segments still in their grace period. */
  private Map<String, Representation> servedFiles() {
    Map<String, Representation> files = new HashMap<>();
    for (Init init : inits.values()) {
      files.put(init.entry().uri(), file(init.entry(), init.publishedAt(), INIT_TYPE));
    }
    retired.forEach(old -> files.put(old.segment().uri(),
        file(old.segment().entry(), old.segment().publishedAt(), SEGMENT_TYPE)));
    window.forEach(segment -> files.put(segment.uri(),
        file(segment.entry(), segment.publishedAt(), SEGMENT_TYPE)));
    return files;
  }

  private Representation file(ManifestEntry entry, long lastModified, String contentType) {
    return Representation.ofFile(dir.resolve(entry.uri()), entry.size(), lastModified,
        GeneratedRepresentation.strongEtag(entry.sha256()), contentType, IMMUTABLE);
  }
}
