package dev.swarmcdn.edge.forwarding.upstream;

import java.time.Duration;

/**
 * Bounds on one upstream exchange: to open the connection, to receive the response head after the
 * request is sent, and between two reads of the body.
 */
public record UpstreamTimeouts(Duration connect, Duration firstByte, Duration idle) {

  public static UpstreamTimeouts defaults() {
    return new UpstreamTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10));
  }
}
