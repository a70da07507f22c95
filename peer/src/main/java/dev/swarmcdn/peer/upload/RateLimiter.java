package dev.swarmcdn.peer.upload;

import dev.swarmcdn.peer.util.Clock;
import dev.swarmcdn.protocol.peer.PeerCodec;

/**
 * A byte rate shared by every upload, as a virtual schedule (the generic cell rate algorithm): each
 * booking moves a theoretical time forward by its bytes' share of a second, and may go as soon as
 * that time is within the burst allowance of now. Bookings are served in order, so transfers share
 * the rate; a quarter second of burst, and at least one full PIECE, go at once.
 */
public final class RateLimiter {
  private final double msPerByte;
  private final double burstMs;
  private final Clock clock;
  private double theoreticalAt = Double.NEGATIVE_INFINITY;

  /** @param bytesPerSecond  0: no limit */
  public RateLimiter(long bytesPerSecond, Clock clock) {
    this.clock = clock;
    this.msPerByte = bytesPerSecond > 0 ? 1000.0 / bytesPerSecond : 0;
    this.burstMs = bytesPerSecond > 0 ? Math.max(250.0, PeerCodec.MAX_PAYLOAD * msPerByte) : 0;
  }

  /** Books {@code bytes}: how many ms to wait before sending them (0: now). */
  public long book(long bytes) {
    if (msPerByte == 0) {
      return 0;
    }
    double now = clock.now();
    theoreticalAt = Math.max(theoreticalAt, now) + bytes * msPerByte;
    // These bytes included: a burst is at most burstMs of bytes, as the browser's token bucket.
    double allowedAt = theoreticalAt - burstMs;
    return allowedAt <= now ? 0 : (long) Math.ceil(allowedAt - now);
  }
}
