package dev.swarmcdn.peer.simulate;

import dev.swarmcdn.peer.player.VirtualPlayer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Copies of each live segment that left the edges: per segment, the bytes its viewers got from an
 * edge (over HTTP or a seeder's data channel) over the segment's size. Only segments first played
 * after the ramp count, when every viewer is there.
 */
final class EdgeCopies implements SwarmSimulation.Played {
  private final LongSupplier elapsedMs;
  private final long rampMs;
  private final Map<Long, long[]> bySequence = new ConcurrentHashMap<>();

  /** @param elapsedMs  milliseconds since the run started */
  EdgeCopies(LongSupplier elapsedMs, long rampMs) {
    this.elapsedMs = elapsedMs;
    this.rampMs = rampMs;
  }

  @Override
  public void played(int viewer, VirtualPlayer.SegmentEvent event) {
    long now = elapsedMs.getAsLong();
    // {first played at, size, bytes from edges, bytes from viewers}
    long[] segment = bySequence.computeIfAbsent(event.ref().sequence(),
        s -> new long[] {now, event.delivery().data().length, 0, 0});
    synchronized (segment) {
      segment[2] += event.delivery().httpBytes() + event.delivery().seederBytes();
      segment[3] += event.delivery().p2pBytes();
    }
  }

  JsonObject summary() {
    double[] copies = bySequence.values().stream().filter(s -> s[0] >= rampMs && s[1] > 0)
        .mapToDouble(s -> (double) s[2] / s[1]).toArray();
    return Distribution.of(copies);
  }
}
