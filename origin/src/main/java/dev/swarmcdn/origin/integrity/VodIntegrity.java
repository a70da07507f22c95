package dev.swarmcdn.origin.integrity;

import dev.swarmcdn.kit.http.Representation;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;

/**
 * Integrity manifests of on-demand playlists, computed on first request off the event loop and kept
 * while the playlist file is unchanged.
 *
 * <p>TODO(origin issue): implementation.
 */
public final class VodIntegrity {

  public VodIntegrity(Vertx vertx, IntegrityKeys keys) {}

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
    return Future.failedFuture(new UnsupportedOperationException("TODO"));
  }
}
