package dev.swarmcdn.peer.http;

/**
 * An answer to a Range request that cannot be placed after the bytes already held: its range starts
 * elsewhere, it names another length for the segment than the one known ({@link #size()} is then
 * the edge's), or it says no range and is not exactly the rest asked for. The caller fetches the
 * whole segment instead.
 */
public final class UnusableRange extends HttpError {
  private final Long size;

  public UnusableRange(int status, String message, Long size) {
    super(status, message);
    this.size = size;
  }

  /** The segment's length the answer named, or null. */
  public Long size() {
    return size;
  }
}
