package dev.swarmcdn.protocol.peer;

/**
 * A data-channel message that is not a valid frame. Checked, so that no receive path forgets it: the
 * engine answers it with BYE {@code protocol_error} and drops the peer.
 */
public final class PeerFrameException extends Exception {

  private final FrameError error;

  public PeerFrameException(FrameError error, String message) {
    super(error.wireName() + ": " + message);
    this.error = error;
  }

  public FrameError error() {
    return error;
  }
}
