package dev.swarmcdn.origin.integrity;

import io.vertx.core.Vertx;

/**
 * Integrity manifests of on-demand playlists, computed on first request off the event loop and kept
 * while the playlist file is unchanged.
 *
 * <p>TODO(origin issue): implementation.
 */
public final class VodIntegrity {

  public VodIntegrity(Vertx vertx, IntegrityKeys keys) {}
}
