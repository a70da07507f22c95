package dev.swarmcdn.peer.watch;

import dev.swarmcdn.peer.engine.Delivery;
import dev.swarmcdn.peer.engine.PeerEngine;
import dev.swarmcdn.peer.engine.SegmentRef;
import dev.swarmcdn.peer.player.VirtualPlayer;
import dev.swarmcdn.peer.store.StoredSegment;
import io.vertx.core.Future;

/**
 * Media segments for the local player, from the engine: what it holds at once; what a job is
 * getting (the virtual player's, or a prefetch from peers) when that job ends; anything else through
 * a new job, due when the virtual playhead reaches it. Each segment counts as delivered, by source,
 * the first time the local player gets it. Confined to the engine's thread.
 */
final class EngineSegments {
  private final PeerEngine engine;
  private final VirtualPlayer player;
  private final SegmentIndex index = new SegmentIndex();

  EngineSegments(PeerEngine engine, VirtualPlayer player) {
    this.engine = engine;
    this.player = player;
  }

  /** The segment at {@code upstreamUrl}, or null when it is no media segment of the played rendition. */
  Future<Delivery> get(String upstreamUrl) {
    index.update(player.playlist());
    SegmentIndex.Listed listed = index.find(upstreamUrl);
    if (listed == null) {
      return null;
    }
    SegmentRef ref = engine.segmentRef(listed.playlist(), listed.segment());
    StoredSegment stored = engine.store().get(ref.swarm(), ref.sequence());
    // load() joins a running job (and makes a prefetch a wanted one); without one it starts a job
    // whose deadline is the virtual playhead's.
    Future<Delivery> got = stored != null
        ? Future.succeededFuture(Delivery.of(stored))
        : engine.load(ref, listed.segment().start(), null);
    return got.andThen(result -> {
      if (result.succeeded()) {
        engine.handedOver(ref, result.result());
      }
    });
  }
}
