package dev.swarmcdn.edge.access.stun;

/**
 * Why a datagram got no answer; the {@code reason} tag of {@code edge_stun_dropped_total}. A STUN
 * server stays silent on anything it will not answer: replying to junk would make it a reflector.
 */
public enum DropReason {
  /** Longer than the configured maximum: no STUN Binding request needs that much. */
  OVERSIZED("oversized"),
  /** Shorter than the 20-byte header. */
  TRUNCATED("truncated"),
  /** The two leading bits are not zero: another protocol multiplexed on the port, or noise. */
  NOT_STUN("not_stun"),
  /** No RFC 5389/8489 magic cookie: noise, or a classic RFC 3489 client we do not serve. */
  BAD_COOKIE("bad_cookie"),
  /** Header length is not a multiple of 4, which no valid message can have. */
  UNALIGNED_LENGTH("unaligned_length"),
  /** Header length disagrees with the datagram's size. */
  BAD_LENGTH("bad_length"),
  /** An attribute's declared length (with its padding) runs past the end of the message. */
  ATTRIBUTE_OVERRUN("attribute_overrun"),
  /** FINGERPRINT does not match, is not 4 bytes, or is not the last attribute. */
  BAD_FINGERPRINT("bad_fingerprint"),
  /** An indication, success or error response: nothing to answer. */
  NOT_REQUEST("not_request"),
  /** A request for a method other than Binding. */
  UNKNOWN_METHOD("unknown_method"),
  /** The answer could not be sent. */
  SEND_FAILED("send_failed"),
  /** A bug: the handler caught an exception it did not expect. */
  INTERNAL_ERROR("internal_error");

  private final String tag;

  DropReason(String tag) {
    this.tag = tag;
  }

  public String tag() {
    return tag;
  }
}
