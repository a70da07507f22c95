package dev.swarmcdn.origin.live;

import dev.swarmcdn.protocol.integrity.ManifestEntry;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one rendition has published, as much as the next origin run on the same folder needs to go
 * on where this one stopped, however it stopped: the numbering (next media sequence, discontinuities
 * so far, the epoch of the newest published segment, the target duration, which must never shrink)
 * and the window, the retired segments still in their grace period and their init segments, with
 * the sizes and hashes the manifests vouched for.
 *
 * <p>Kept in {@link #FILE_NAME} in the rendition's folder, rewritten after every publication: under
 * a temporary name, forced to disk, then renamed over the old one, so a reader finds the previous
 * whole version or the new whole version, never a mixture, even after a {@code kill -9}.
 *
 * @param retired the segments that left the window, each with the time it left
 */
record PublishedState(long nextSequence, long discontinuities, int lastPublishedEpoch,
    int targetDuration, List<Init> inits, List<LiveSegment> window, List<Retired> retired) {

  static final String FILE_NAME = "published.json";
  private static final String TEMP_NAME = FILE_NAME + ".tmp";
  private static final int VERSION = 1;

  /** An init segment and when it was published, its Last-Modified. */
  record Init(ManifestEntry entry, long publishedAt) {}

  /** A segment out of the window, still served until its grace period ends. */
  record Retired(LiveSegment segment, long atMillis) {}

  PublishedState {
    inits = List.copyOf(inits);
    window = List.copyOf(window);
    retired = List.copyOf(retired);
  }

  /** Thrown for a state file that exists but cannot be read as one. */
  static final class Unreadable extends Exception {
    Unreadable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The state of the folder, or empty when there is none; a leftover temporary file is ignored. */
  static Optional<PublishedState> read(Path dir) throws IOException, Unreadable {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(dir.resolve(FILE_NAME));
    } catch (NoSuchFileException none) {
      return Optional.empty();
    }
    try {
      return Optional.of(decode(new JsonObject(new String(bytes, StandardCharsets.UTF_8))));
    } catch (DecodeException | ClassCastException | IllegalArgumentException | NullPointerException
        | java.time.DateTimeException e) {
      throw new Unreadable(dir.resolve(FILE_NAME) + " is not a published state: " + e.getMessage(), e);
    }
  }

  /** Replaces the folder's state file atomically. */
  void write(Path dir) throws IOException {
    Path temp = dir.resolve(TEMP_NAME);
    byte[] bytes = encode().encode().getBytes(StandardCharsets.UTF_8);
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      // Without it a power cut could leave the renamed file empty on some file systems.
      channel.force(false);
    }
    try {
      Files.move(temp, dir.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, dir.resolve(FILE_NAME), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Whether a file of the folder belongs to the state itself (and is no leftover of ffmpeg). */
  static boolean isStateFile(String fileName) {
    return fileName.equals(FILE_NAME) || fileName.equals(TEMP_NAME);
  }

  JsonObject encode() {
    JsonArray initArray = new JsonArray();
    inits.forEach(init -> initArray.add(entry(init.entry()).put("publishedAt", init.publishedAt())));
    JsonArray windowArray = new JsonArray();
    window.forEach(segment -> windowArray.add(segment(segment)));
    JsonArray retiredArray = new JsonArray();
    retired.forEach(old -> retiredArray.add(segment(old.segment()).put("retiredAt", old.atMillis())));
    return new JsonObject()
        .put("version", VERSION)
        .put("nextSequence", nextSequence)
        .put("discontinuities", discontinuities)
        .put("lastPublishedEpoch", lastPublishedEpoch)
        .put("targetDuration", targetDuration)
        .put("inits", initArray)
        .put("window", windowArray)
        .put("retired", retiredArray);
  }

  static PublishedState decode(JsonObject json) {
    if (json.getInteger("version") != VERSION) {
      throw new IllegalArgumentException("version " + json.getInteger("version"));
    }
    List<Init> inits = new ArrayList<>();
    for (Object init : json.getJsonArray("inits")) {
      inits.add(new Init(entry((JsonObject) init), ((JsonObject) init).getLong("publishedAt")));
    }
    List<LiveSegment> window = new ArrayList<>();
    for (Object segment : json.getJsonArray("window")) {
      window.add(segment((JsonObject) segment));
    }
    List<Retired> retired = new ArrayList<>();
    for (Object old : json.getJsonArray("retired")) {
      retired.add(new Retired(segment((JsonObject) old), ((JsonObject) old).getLong("retiredAt")));
    }
    PublishedState state = new PublishedState(json.getLong("nextSequence"), json.getLong("discontinuities"),
        json.getInteger("lastPublishedEpoch"), json.getInteger("targetDuration"), inits, window, retired);
    state.check();
    return state;
  }

  /** Numbers that no run of the publisher can have written: the file is not what it claims. */
  private void check() {
    if (nextSequence < 0 || discontinuities < 0 || lastPublishedEpoch < 0 || targetDuration < 1) {
      throw new IllegalArgumentException("negative or zero numbers");
    }
    long expected = nextSequence - window.size();
    for (LiveSegment segment : window) {
      if (segment.sequence() != expected++ || segment.discontinuitySequence() > discontinuities) {
        throw new IllegalArgumentException("window not numbered up to nextSequence: " + segment.sequence());
      }
    }
  }

  private static JsonObject entry(ManifestEntry entry) {
    return new JsonObject().put("uri", entry.uri()).put("size", entry.size()).put("sha256", entry.sha256());
  }

  private static ManifestEntry entry(JsonObject json) {
    return new ManifestEntry(json.getString("uri"), json.getLong("size"), json.getString("sha256"));
  }

  private static JsonObject segment(LiveSegment segment) {
    JsonObject json = entry(segment.entry())
        .put("sequence", segment.sequence())
        .put("epoch", segment.epoch())
        .put("duration", segment.durationSeconds())
        .put("discontinuity", segment.discontinuity())
        .put("discontinuitySequence", segment.discontinuitySequence())
        .put("init", segment.initUri())
        .put("publishedAt", segment.publishedAt());
    if (segment.programDateTime() != null) {
      json.put("programDateTime", segment.programDateTime().toString());
    }
    return json;
  }

  private static LiveSegment segment(JsonObject json) {
    String programDateTime = json.getString("programDateTime");
    return new LiveSegment(json.getLong("sequence"), json.getInteger("epoch"), json.getDouble("duration"),
        json.getBoolean("discontinuity"), json.getLong("discontinuitySequence"),
        java.util.Objects.requireNonNull(json.getString("init"), "init"),
        programDateTime == null ? null : Instant.parse(programDateTime), entry(json),
        json.getLong("publishedAt"));
  }
}
