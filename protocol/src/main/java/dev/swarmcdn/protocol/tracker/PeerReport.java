package dev.swarmcdn.protocol.tracker;

import java.util.Objects;

/** A peer of the swarm the reporter dropped, and why: one entry of {@code join}'s {@code reports}. */
public record PeerReport(String peerId, ReportReason reason) {

  public PeerReport {
    WireRules.peerId("a report's peerId", peerId);
    Objects.requireNonNull(reason, "reason");
  }
}
