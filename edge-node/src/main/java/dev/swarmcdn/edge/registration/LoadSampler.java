package dev.swarmcdn.edge.registration;

import dev.swarmcdn.protocol.registry.EdgeLoad;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Turns the edge's running meters into the load it reports in a heartbeat: open connections now,
 * and since the previous sample the egress rate and the share of requests answered from the cache.
 * Samples are taken one at a time, by the heartbeat.
 */
public final class LoadSampler {

  private final IntSupplier connections;
  private final DoubleSupplier bytesWritten;
  private final DoubleSupplier fromCache;
  private final DoubleSupplier answered;
  private final LongSupplier nanos;
  private double lastBytes;
  private double lastFromCache;
  private double lastAnswered;
  private long lastNanos;
  private double lastHitRatio;

  /**
   * @param bytesWritten  response bytes written so far
   * @param fromCache     requests answered from the cache so far
   * @param answered      requests the cache layer answered so far, whatever the answer
   */
  public LoadSampler(IntSupplier connections, DoubleSupplier bytesWritten, DoubleSupplier fromCache,
      DoubleSupplier answered, LongSupplier nanos) {
    this.connections = connections;
    this.bytesWritten = bytesWritten;
    this.fromCache = fromCache;
    this.answered = answered;
    this.nanos = nanos;
    this.lastBytes = bytesWritten.getAsDouble();
    this.lastFromCache = fromCache.getAsDouble();
    this.lastAnswered = answered.getAsDouble();
    this.lastNanos = nanos.getAsLong();
  }

  /** The load since the previous sample; with no request since then, the previous hit ratio stands. */
  public synchronized EdgeLoad sample() {
    long now = nanos.getAsLong();
    double bytes = bytesWritten.getAsDouble();
    double cached = fromCache.getAsDouble();
    double requests = answered.getAsDouble();
    double seconds = Math.max(1e-3, (now - lastNanos) / 1e9);
    double egress = Math.max(0, bytes - lastBytes) / seconds;
    if (requests > lastAnswered) {
      lastHitRatio = Math.min(1, Math.max(0, (cached - lastFromCache) / (requests - lastAnswered)));
    }
    lastBytes = bytes;
    lastFromCache = cached;
    lastAnswered = requests;
    lastNanos = now;
    return new EdgeLoad(Math.max(0, connections.getAsInt()), egress, lastHitRatio);
  }
}
