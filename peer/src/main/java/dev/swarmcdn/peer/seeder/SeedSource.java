package dev.swarmcdn.peer.seeder;

import io.vertx.core.Future;

/**
 * The edge's cache as its seeder sees it: the seeder serves the swarm only what the edge holds or
 * fills anyway, and never makes the edge fetch from the origin for a peer beyond its normal,
 * coalesced fill. Implementations may be called from any thread; their futures may complete on
 * any thread.
 */
public interface SeedSource {

  /**
   * An object's bytes (a playlist, a segment) by its path on the edge: a fresh stored copy, or the
   * cache's normal fill of it, shared with every viewer asking at the same time.
   */
  Future<byte[]> fetch(String path);

  /** Whether the cache holds the object now, in a tier it can serve from without a fill. */
  boolean holds(String path);
}
