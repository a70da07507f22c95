package dev.swarmcdn.protocol.peer;

import java.util.Locale;

/** Why a REJECT refuses a request; the wire byte is the ordinal: append new reasons, never reorder. */
public enum RejectReason {
  /** The segment is not held (never was, evicted, or only being fetched). */
  NOT_HELD,
  /** No upload slot free now. */
  BUSY,
  /** The requester asks faster than the server allows. */
  RATE_LIMITED,
  /** A range starting at or past the segment's end, or longer than the server's maxRequestBytes. */
  BAD_REQUEST;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
