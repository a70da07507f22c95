package dev.swarmcdn.tracker.webtorrent;

/**
 * A WebTorrent id ({@code info_hash}, {@code peer_id}, {@code to_peer_id}, {@code offer_id}): 20
 * bytes sent as a JSON string of 20 characters, one per byte (U+0000 to U+00FF), the way
 * JavaScript clients turn bytes into a "binary string". The characters are the bytes read as
 * ISO-8859-1: never decode or encode them as UTF-8, which would change bytes 0x80 and up.
 *
 * @param chars the 20 characters, as they were on the wire
 */
public record BinaryId(String chars) {

  public static final int LENGTH = 20;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  public BinaryId {
    if (!isValid(chars)) {
      throw new IllegalArgumentException("a binary id is 20 characters from U+0000 to U+00FF");
    }
  }

  /** Whether {@code value} is a binary id: the test real trackers apply, plus the byte range. */
  public static boolean isValid(String value) {
    if (value == null || value.length() != LENGTH) {
      return false;
    }
    for (int i = 0; i < LENGTH; i++) {
      if (value.charAt(i) > 0xFF) {
        return false;
      }
    }
    return true;
  }

  /** The 40 lowercase hex digits of the bytes: how the tracker names swarms and peers inside. */
  public String hex() {
    char[] out = new char[LENGTH * 2];
    for (int i = 0; i < LENGTH; i++) {
      char c = chars.charAt(i);
      out[2 * i] = HEX[c >> 4];
      out[2 * i + 1] = HEX[c & 0xF];
    }
    return new String(out);
  }

  @Override
  public String toString() {
    return hex();
  }
}
