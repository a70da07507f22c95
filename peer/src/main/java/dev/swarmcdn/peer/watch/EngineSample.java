package dev.swarmcdn.peer.watch;

import dev.swarmcdn.peer.engine.PeerEngine;
import dev.swarmcdn.peer.stats.StatsSnapshot;
import dev.swarmcdn.peer.swarm.LinkClose;
import java.util.Map;

/**
 * The engine's counters at one moment, read on its thread and then handed to other threads (the
 * progress line, Prometheus scrapes), which may not call the engine.
 *
 * @param atMillis  when it was read, on the engine's clock
 */
record EngineSample(StatsSnapshot stats, Map<LinkClose.Reason, Long> linkCloses, long atMillis) {

  EngineSample {
    linkCloses = Map.copyOf(linkCloses);
  }

  /** Reads one; on the engine's thread only. */
  static EngineSample of(PeerEngine engine) {
    return new EngineSample(engine.stats(), engine.linkCloses(), engine.clock().now());
  }
}
