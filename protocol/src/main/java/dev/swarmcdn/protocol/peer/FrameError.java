package dev.swarmcdn.protocol.peer;

import java.util.Locale;

/** Why a message is not a frame; docs/PROTOCOL.md, "Decoding", says which check gives which. */
public enum FrameError {
  /** Empty, or shorter than its type's layout. */
  TRUNCATED,
  /** Longer than its type's layout. */
  TRAILING_BYTES,
  UNKNOWN_TYPE,
  /** A HELLO of a version other than {@link PeerCodec#VERSION}. */
  UNSUPPORTED_VERSION,
  /** A length, count, code or value outside what the protocol allows. */
  OUT_OF_BOUNDS,
  /** A PIECE carrying more than {@link PeerCodec#MAX_PAYLOAD} bytes. */
  PAYLOAD_TOO_LARGE,
  /** A byte or sequence range that is empty, out of order, overlapping or past its bounds. */
  BAD_RANGE;

  /** The name the shared test vectors and the JavaScript codec use. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
