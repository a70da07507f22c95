package dev.swarmcdn.tracker;

/**
 * What one connection may do. Every refusal is an error frame counted in
 * {@code tracker_errors_total{code}}; every forced disconnect is counted in
 * {@code tracker_disconnects_total{reason}}.
 *
 * @param maxFrameBytes          a larger message gets {@code too_large} and is dropped
 * @param hardFrameBytes         a message growing past this closes the connection (1009): the
 *                               tracker stops reading rather than buffer it
 * @param messagesPerSecond      sustained rate per connection; above it {@code rate_limited}
 * @param messageBurst           messages a connection may send at once after a quiet spell (a
 *                               viewer trickling ICE candidates to many peers sends bursts)
 * @param maxSwarmsPerConnection a join beyond this gets {@code limit_exceeded}
 * @param maxPeersPerSwarm       a join into a full swarm gets {@code limit_exceeded}
 * @param maxBadFrames           a connection that sends more frames refused as malformed,
 *                               unknown, of another version, too large or over the rate is
 *                               closed (1008)
 * @param maxWriteQueueBytes     bytes waiting in the tracker to be written to one peer, once
 *                               the kernel's socket buffer is full; a peer that reads so slowly
 *                               that more pile up is closed (4001) rather than buffered for
 * @param maxSignalsPerPeerPerSecond signals relayed to one peer in a second, whoever sends them (a
 *                               bucket of one second's worth); more are dropped and their sender gets
 *                               {@code rate_limited} (ref {@code signal}), which is no bad frame. The
 *                               default is what a peer meeting 20 peers at once is sent: an offer or
 *                               answer and some ten trickled ICE candidates from each (240)
 */
public record TrackerLimits(
    int maxFrameBytes,
    int hardFrameBytes,
    double messagesPerSecond,
    int messageBurst,
    int maxSwarmsPerConnection,
    int maxPeersPerSwarm,
    int maxBadFrames,
    int maxWriteQueueBytes,
    int maxSignalsPerPeerPerSecond) {

  public static final TrackerLimits DEFAULTS = new TrackerLimits(16 * 1024, 64 * 1024, 50, 200, 4, 5_000, 10,
      64 * 1024, 250);

  public TrackerLimits {
    if (maxFrameBytes < 256) {
      throw new IllegalArgumentException("max frame size must be at least 256 bytes");
    }
    if (hardFrameBytes < maxFrameBytes) {
      throw new IllegalArgumentException("the hard frame limit must not be below the max frame size");
    }
    if (!(messagesPerSecond > 0) || messageBurst < 1) {
      throw new IllegalArgumentException("the message rate and burst must be positive");
    }
    if (maxSwarmsPerConnection < 1 || maxPeersPerSwarm < 1 || maxBadFrames < 0) {
      throw new IllegalArgumentException("swarm and peer limits must be positive, bad frames not negative");
    }
    if (maxWriteQueueBytes < maxFrameBytes) {
      throw new IllegalArgumentException("the write queue must hold at least one message of the max frame size");
    }
    if (maxSignalsPerPeerPerSecond < 1) {
      throw new IllegalArgumentException("--max-signals-per-peer-per-second must be at least 1, not "
          + maxSignalsPerPeerPerSecond);
    }
  }

  public TrackerLimits withFrameBytes(int max, int hard) {
    return new TrackerLimits(max, hard, messagesPerSecond, messageBurst, maxSwarmsPerConnection,
        maxPeersPerSwarm, maxBadFrames, maxWriteQueueBytes, maxSignalsPerPeerPerSecond);
  }

  public TrackerLimits withRate(double perSecond, int burst) {
    return new TrackerLimits(maxFrameBytes, hardFrameBytes, perSecond, burst, maxSwarmsPerConnection,
        maxPeersPerSwarm, maxBadFrames, maxWriteQueueBytes, maxSignalsPerPeerPerSecond);
  }

  public TrackerLimits withSwarms(int perConnection, int peersPerSwarm) {
    return new TrackerLimits(maxFrameBytes, hardFrameBytes, messagesPerSecond, messageBurst, perConnection,
        peersPerSwarm, maxBadFrames, maxWriteQueueBytes, maxSignalsPerPeerPerSecond);
  }

  public TrackerLimits withMaxBadFrames(int value) {
    return new TrackerLimits(maxFrameBytes, hardFrameBytes, messagesPerSecond, messageBurst,
        maxSwarmsPerConnection, maxPeersPerSwarm, value, maxWriteQueueBytes,
        maxSignalsPerPeerPerSecond);
  }

  public TrackerLimits withWriteQueueBytes(int value) {
    return new TrackerLimits(maxFrameBytes, hardFrameBytes, messagesPerSecond, messageBurst,
        maxSwarmsPerConnection, maxPeersPerSwarm, maxBadFrames, value, maxSignalsPerPeerPerSecond);
  }

  public TrackerLimits withSignalsPerPeer(int perSecond) {
    return new TrackerLimits(maxFrameBytes, hardFrameBytes, messagesPerSecond, messageBurst,
        maxSwarmsPerConnection, maxPeersPerSwarm, maxBadFrames, maxWriteQueueBytes, perSecond);
  }
}
