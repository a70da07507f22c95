package dev.swarmcdn.protocol.registry;

import java.util.List;

/**
 * What the tracker answers an edge's registration or heartbeat with, as far as the edge reads it:
 * how long it may stay silent before it drops out of rotation, and the edges in rotation (itself
 * among them once healthy). The tracker's answer also describes the edge as registered
 * ({@code edge}), which edges do not need.
 *
 * @param expiryMs  heartbeats must come more often than this
 * @param edges     the edges in rotation
 */
public record RegistryAnswer(long expiryMs, List<EdgeMember> edges) {

  public RegistryAnswer {
    if (expiryMs < 1) {
      throw new IllegalArgumentException("expiryMs must be at least 1");
    }
    edges = List.copyOf(edges);
  }
}
