package dev.swarmcdn.protocol.tracker;

import java.util.Locale;

/** The {@code code} of an error frame; docs/PROTOCOL.md has the table of when each is sent. */
public enum ErrorCode {
  UNKNOWN_TYPE,
  MALFORMED,
  TOO_LARGE,
  UNKNOWN_PEER,
  NOT_JOINED,
  RATE_LIMITED,
  UNAUTHORIZED,
  LIMIT_EXCEEDED,
  UNSUPPORTED_VERSION;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @throws IllegalArgumentException for an unknown code */
  public static ErrorCode fromWire(String value) {
    for (ErrorCode code : values()) {
      if (code.wireName().equals(value)) {
        return code;
      }
    }
    throw new IllegalArgumentException("unknown error code");
  }
}
