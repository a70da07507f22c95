package dev.swarmcdn.origin.integrity;

import dev.swarmcdn.kit.http.Representation;
import dev.swarmcdn.protocol.integrity.ManifestContent;
import dev.swarmcdn.protocol.integrity.ManifestEntry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.file.FileProps;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Integrity manifests of on-demand playlists, computed on first request off the event loop and kept
 * while the playlist file is unchanged (same size and modification time).
 */
public final class VodIntegrity {

  static final String CACHE_CONTROL = "public, max-age=60";

  private final Vertx vertx;
  private final ManifestSigner signer;
  private final ConcurrentMap<Key, Cached> cache = new ConcurrentHashMap<>();

  private record Key(Path playlistFile, String playlistPath) {}

  /** One playlist version's manifest, shared by every request that asked while it was computed. */
  private record Cached(long size, long modified, Future<Representation> manifest) {
    boolean describes(FileProps props) {
      return size == props.size() && modified == props.lastModifiedTime();
    }
  }

  public VodIntegrity(Vertx vertx, IntegrityKeys keys) {
    this.vertx = vertx;
    this.signer = new ManifestSigner(keys);
  }

  /**
   * The signed manifest of one media playlist, ready to send.
   *
   * @param playlistFile the playlist on disk, already resolved safely below the media root
   * @param playlistPath the playlist's public URL path (e.g. {@code /vod/clip/360p/index.m3u8}),
   *                     which the signature binds the manifest to
   * @return a failed future with {@link java.nio.file.NoSuchFileException} when the playlist is
   *         gone, or {@link IllegalArgumentException} when it is a master playlist or unreadable
   */
  public Future<Representation> manifest(Path playlistFile, String playlistPath) {
    Key key = new Key(playlistFile, playlistPath);
    return vertx.fileSystem().props(playlistFile.toString())
        .recover(error -> Future.failedFuture(error.getCause() instanceof NoSuchFileException missing
            ? missing : error))
        .compose(props -> {
          if (!props.isRegularFile()) {
            return Future.failedFuture(new NoSuchFileException(playlistFile.toString()));
          }
          // compute() makes concurrent first requests share one computation.
          Cached cached = cache.compute(key, (k, old) -> old != null && old.describes(props) ? old
              : new Cached(props.size(), props.lastModifiedTime(),
                  vertx.executeBlocking(() -> build(playlistFile, playlistPath, props.lastModifiedTime()), false)));
          // Failures are not kept: the next request tries again.
          cached.manifest().onFailure(error -> cache.remove(key, cached));
          return cached.manifest();
        });
  }

  /** Blocking: reads the playlist and hashes every file it lists. */
  private Representation build(Path playlistFile, String playlistPath, long modified) throws IOException {
    MediaPlaylist playlist;
    try {
      playlist = MediaPlaylist.parse(Files.readString(playlistFile, StandardCharsets.UTF_8));
    } catch (MalformedInputException e) {
      throw new IllegalArgumentException("playlist is not UTF-8: " + playlistPath, e);
    }
    Path dir = playlistFile.getParent();
    List<ManifestEntry> inits = new ArrayList<>();
    for (String uri : playlist.initUris()) {
      inits.add(hash(dir, uri));
    }
    List<ManifestEntry> segments = new ArrayList<>();
    for (MediaPlaylist.Segment segment : playlist.segments()) {
      segments.add(hash(dir, segment.uri()));
    }
    ManifestContent content = new ManifestContent(playlistPath, playlist.mediaSequence(), inits, segments);
    return signer.signedRepresentation(content, modified, CACHE_CONTROL);
  }

  /** Only plain relative names below the playlist's folder: never a URL, query, or a way out. */
  private static ManifestEntry hash(Path dir, String uri) throws IOException {
    if (uri.contains(":") || uri.contains("?") || uri.contains("#") || uri.contains("\\")
        || uri.startsWith("/")) {
      throw new IllegalArgumentException("segment URI is not a plain relative path: " + uri);
    }
    Path file = dir.resolve(uri).normalize();
    if (!file.startsWith(dir) || uri.contains("..")) {
      throw new IllegalArgumentException("segment URI leaves the playlist's folder: " + uri);
    }
    try {
      return Sha256.entry(file, uri);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("playlist lists a missing file: " + uri, e);
    }
  }
}
