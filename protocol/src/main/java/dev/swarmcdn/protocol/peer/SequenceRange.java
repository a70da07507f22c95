package dev.swarmcdn.protocol.peer;

/**
 * Consecutive segments of a swarm: media sequence numbers {@code first} to {@link #last()}.
 *
 * @param first  a media sequence number, 0 to 2^53-1
 * @param count  how many, 1 to 2^32-1, with the last at most 2^53-1
 */
public record SequenceRange(long first, long count) {

  public SequenceRange {
    if (!valid(first, count)) {
      throw new IllegalArgumentException("a range holds 1 to 2^32-1 sequence numbers from 0 to 2^53-1");
    }
  }

  public long last() {
    return first + count - 1;
  }

  /** Written so that it cannot overflow: {@code first + count - 1 <= MAX} as {@code first <= MAX - count + 1}. */
  static boolean valid(long first, long count) {
    return count >= 1 && count <= PeerCodec.U32_MAX && first >= 0 && first <= PeerCodec.MAX_SEQUENCE - count + 1;
  }
}
