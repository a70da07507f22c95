package dev.swarmcdn.protocol.peer;

import java.util.Locale;

/** Why a REJECT refuses a request; the wire byte is the ordinal. */
public enum RejectReason {
  /** The segment is not held (never was, evicted, or only being fetched). */
  NOT_HELD,
  /** No upload slot free now. */
  BUSY,
  /** The requester asks faster than the server allows. */
  RATE_LIMITED,
  /** A range starting at or past the segment's end, or longer than the server's maxRequestBytes. */
  BAD_REQUEST;

  private static final RejectReason[] BY_CODE = values();

  public int code() {
    return ordinal();
  }

  /** The reason whose byte is {@code code}, or null. */
  static RejectReason fromCode(int code) {
    return code < BY_CODE.length ? BY_CODE[code] : null;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
