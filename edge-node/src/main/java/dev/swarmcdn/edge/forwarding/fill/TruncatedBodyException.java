package dev.swarmcdn.edge.forwarding.fill;

/** The upstream ended a body before the length it announced, or sent more than it. */
public final class TruncatedBodyException extends RuntimeException {
  public TruncatedBodyException(String message) {
    super(message, null, false, false);
  }
}
