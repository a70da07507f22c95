package dev.swarmcdn.edge.forwarding.integrity;

import dev.swarmcdn.edge.forwarding.cache.CacheKey;
import dev.swarmcdn.edge.forwarding.upstream.UpstreamRoutes.Route;
import io.vertx.core.Future;

/** An object's bytes as this edge serves them: from its cache, or fetched (and cached) like a miss. */
@FunctionalInterface
public interface ObjectSource {

  /**
   * Fails unless the object is there (200).
   *
   * @param fromOrigin skip the cache and the owner edge: the origin's copy now (stored for later)
   */
  Future<byte[]> fetch(Route route, CacheKey key, boolean fromOrigin);
}
