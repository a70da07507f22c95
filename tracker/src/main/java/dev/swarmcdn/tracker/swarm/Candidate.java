package dev.swarmcdn.tracker.swarm;

import dev.swarmcdn.protocol.tracker.Locality;

/** A member chosen for a peer list, with how close it is to the peer that asked. */
public record Candidate(Member member, Locality locality) {}
