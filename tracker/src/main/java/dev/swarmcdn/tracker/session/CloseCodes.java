package dev.swarmcdn.tracker.session;

/** WebSocket close codes the tracker closes a connection with (docs/PROTOCOL.md). */
public final class CloseCodes {

  /** RFC 6455: a text message that is not UTF-8. */
  public static final short INVALID_PAYLOAD = 1007;
  /** RFC 6455: too many bad frames. */
  public static final short POLICY_VIOLATION = 1008;
  /** RFC 6455: a message grew past the hard size limit. */
  public static final short MESSAGE_TOO_BIG = 1009;
  /** Private use (4000-4999): nothing heard for more than the allowed number of ping intervals. */
  public static final short PING_TIMEOUT = 4000;
  /** Private use: the peer read so slowly that its write queue filled up. */
  public static final short SLOW_READER = 4001;

  private CloseCodes() {}
}
