package dev.swarmcdn.protocol.tracker;

/**
 * A frame the receiver refuses, with the code the tracker answers it with. Checked, so that no
 * decoding path forgets to answer.
 */
public final class ProtocolException extends Exception {

  private final ErrorCode code;
  private final String ref;

  /**
   * @param ref the {@code type} of the refused frame when it could be read as a known type, or null
   */
  public ProtocolException(ErrorCode code, String message, String ref) {
    super(message);
    this.code = code;
    this.ref = ref;
  }

  public ErrorCode code() {
    return code;
  }

  public String ref() {
    return ref;
  }

  /** The error frame that answers this refusal. */
  public ServerMessage.ErrorFrame toFrame() {
    return new ServerMessage.ErrorFrame(code, getMessage(), ref);
  }
}
