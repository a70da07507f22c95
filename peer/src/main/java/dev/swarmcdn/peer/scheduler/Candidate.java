package dev.swarmcdn.peer.scheduler;

/** A connected peer that holds a segment and has a request slot free, with how it served us. */
public record Candidate(String id, PeerScore score) {
}
