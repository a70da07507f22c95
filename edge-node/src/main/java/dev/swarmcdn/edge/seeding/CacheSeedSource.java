package dev.swarmcdn.edge.seeding;

import dev.swarmcdn.edge.forwarding.CachingProxy;
import dev.swarmcdn.peer.seeder.SeedSource;
import io.vertx.core.Future;

/**
 * The seeder's view of this edge's cache: stored copies, and the cache's own coalesced fills, past
 * the HTTP layer, so what the seeder takes in is neither counted as HTTP egress nor a second fetch.
 */
public final class CacheSeedSource implements SeedSource {
  private final CachingProxy proxy;

  public CacheSeedSource(CachingProxy proxy) {
    this.proxy = proxy;
  }

  @Override
  public Future<byte[]> fetch(String path) {
    return proxy.bytesFor(path);
  }

  @Override
  public boolean holds(String path) {
    return proxy.holdsFresh(path);
  }
}
