package dev.swarmcdn.edge.forwarding.integrity;

import dev.swarmcdn.edge.forwarding.cache.CacheKey;
import dev.swarmcdn.edge.forwarding.upstream.UpstreamRoutes.Route;
import io.vertx.core.Future;

/** An object's bytes as this edge serves them: from its cache, or fetched (and cached) like a miss. */
@FunctionalInterface
public interface ObjectSource {

  /** Fails unless the object is there (200). */
  Future<byte[]> fetch(Route route, CacheKey key);
}
