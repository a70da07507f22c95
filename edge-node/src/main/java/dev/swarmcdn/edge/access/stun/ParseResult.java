package dev.swarmcdn.edge.access.stun;

/** What {@link StunParser} made of a datagram: a message, or the reason it is not one. */
public sealed interface ParseResult {

  record Parsed(StunMessage message) implements ParseResult {
  }

  record Rejected(DropReason reason) implements ParseResult {
  }
}
