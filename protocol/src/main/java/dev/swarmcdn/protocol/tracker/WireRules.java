package dev.swarmcdn.protocol.tracker;

/**
 * The value rules every implementation applies, in one place so that records refuse what the codec
 * would refuse. Identifiers are printable ASCII: they end up in URL paths, log lines and metrics.
 */
final class WireRules {

  static final int MAX_ID_LENGTH = 128;
  static final int MAX_EDGE_LENGTH = 512;
  static final int MAX_PEER_ID_LENGTH = 64;
  static final int MAX_TOKEN_LENGTH = 4096;
  static final int MAX_UPLOAD_SLOTS = 1024;
  /** A peer drops a peer for cause rarely; a join naming more is not a viewer's. */
  static final int MAX_REPORTS = 16;
  /** Peers named in one assign frame at most. */
  public static final int MAX_FETCHERS = 16;
  /** JavaScript's Number.MAX_SAFE_INTEGER: every counter on the wire fits a JS number exactly. */
  static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

  private WireRules() {}

  /** 1 to {@code max} characters, each 0x21-0x7E. */
  static String printable(String field, String value, int max) {
    if (value == null) {
      throw new IllegalArgumentException(field + " is required");
    }
    if (value.isEmpty() || value.length() > max) {
      throw new IllegalArgumentException(field + " must hold 1 to " + max + " characters");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x21 || c > 0x7E) {
        throw new IllegalArgumentException(field + " must be printable ASCII without spaces");
      }
    }
    return value;
  }

  /** Peer ids are the tracker's own base64url strings; a stricter alphabet than other ids. */
  static String peerId(String field, String value) {
    printable(field, value, MAX_PEER_ID_LENGTH);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
      if (!ok) {
        throw new IllegalArgumentException(field + " must be base64url characters");
      }
    }
    return value;
  }

  /** 0 to 2^53-1. */
  static long count(String field, long value) {
    if (value < 0 || value > MAX_SAFE_INTEGER) {
      throw new IllegalArgumentException(field + " must be 0 to 2^53-1");
    }
    return value;
  }
}
