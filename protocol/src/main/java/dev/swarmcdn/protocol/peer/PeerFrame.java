package dev.swarmcdn.protocol.peer;

import dev.swarmcdn.protocol.tracker.SwarmId;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * A frame of the peer protocol (docs/PROTOCOL.md, "Peer protocol"). The records refuse every value
 * the decoder refuses, so whatever can be built can be encoded, and encodes to one exact form.
 */
public sealed interface PeerFrame
    permits PeerFrame.Hello, PeerFrame.Have, PeerFrame.Request, PeerFrame.Piece, PeerFrame.Cancel,
        PeerFrame.Reject, PeerFrame.Bye {

  FrameType type();

  /**
   * The first frame each side sends. The version is implicit: this codec speaks {@link PeerCodec#VERSION}.
   *
   * @param swarm            the swarm the sender is in
   * @param flags            capability bits (u16); {@link #SEEDER} is the one version 1 defines, others
   *                         are kept as received and otherwise ignored
   * @param maxRequests      how many requests the receiver may have open with the sender, 0 to 1024
   * @param maxRequestBytes  the longest byte range one request may ask for, 16,384 to 2^32-1
   */
  record Hello(SwarmId swarm, int flags, int maxRequests, long maxRequestBytes) implements PeerFrame {
    /** The sender is an edge seeder: it serves and never requests. */
    public static final int SEEDER = 0x0001;

    public Hello {
      Objects.requireNonNull(swarm, "swarm");
      if (flags < 0 || flags > 0xFFFF) {
        throw new IllegalArgumentException("flags are 16 bits");
      }
      if (maxRequests < 0 || maxRequests > PeerCodec.MAX_REQUESTS) {
        throw new IllegalArgumentException("maxRequests must be 0 to " + PeerCodec.MAX_REQUESTS);
      }
      if (maxRequestBytes < PeerCodec.MIN_REQUEST_BYTES || maxRequestBytes > PeerCodec.U32_MAX) {
        throw new IllegalArgumentException("maxRequestBytes must be " + PeerCodec.MIN_REQUEST_BYTES + " to 2^32-1");
      }
    }

    public boolean seeder() {
      return (flags & SEEDER) != 0;
    }

    @Override
    public FrameType type() {
      return FrameType.HELLO;
    }
  }

  /**
   * The sender's whole holdings, replacing any earlier HAVE. Each list ascending, its ranges neither
   * overlapping nor touching; no segment in both; at most {@link PeerCodec#MAX_RANGES} ranges in all.
   *
   * @param held      segments it holds whole and serves
   * @param fetching  segments it is fetching now (a hint, not a promise)
   */
  record Have(List<SequenceRange> held, List<SequenceRange> fetching) implements PeerFrame {

    public Have {
      held = List.copyOf(held);
      fetching = List.copyOf(fetching);
      if (held.size() + fetching.size() > PeerCodec.MAX_RANGES) {
        throw new IllegalArgumentException("at most " + PeerCodec.MAX_RANGES + " ranges");
      }
      if (!ascendingApart(held) || !ascendingApart(fetching) || !disjoint(held, fetching)) {
        throw new IllegalArgumentException(
            "ranges must be ascending, neither overlapping nor touching, and no segment both held and fetching");
      }
    }

    /** Does the sender hold segment {@code sequence}? */
    public boolean holds(long sequence) {
      return contains(held, sequence);
    }

    public boolean fetches(long sequence) {
      return contains(fetching, sequence);
    }

    @Override
    public FrameType type() {
      return FrameType.HAVE;
    }

    private static boolean ascendingApart(List<SequenceRange> ranges) {
      for (int i = 1; i < ranges.size(); i++) {
        // last + 1 cannot overflow: last is at most 2^53-1.
        if (ranges.get(i).first() <= ranges.get(i - 1).last() + 1) {
          return false;
        }
      }
      return true;
    }

    /** Both lists ascending: one pass, like merging. */
    private static boolean disjoint(List<SequenceRange> a, List<SequenceRange> b) {
      int i = 0;
      int j = 0;
      while (i < a.size() && j < b.size()) {
        SequenceRange x = a.get(i);
        SequenceRange y = b.get(j);
        if (x.last() < y.first()) {
          i++;
        } else if (y.last() < x.first()) {
          j++;
        } else {
          return false;
        }
      }
      return true;
    }

    /** Binary search over ascending, disjoint ranges. */
    private static boolean contains(List<SequenceRange> ranges, long sequence) {
      int low = 0;
      int high = ranges.size() - 1;
      while (low <= high) {
        int mid = (low + high) >>> 1;
        SequenceRange range = ranges.get(mid);
        if (sequence < range.first()) {
          high = mid - 1;
        } else if (sequence > range.last()) {
          low = mid + 1;
        } else {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * Ask for bytes {@code start} (inclusive) to {@code end} (exclusive) of a segment; the server sends
   * up to {@code min(end, size)}, so {@link #TO_END} asks for the rest of the segment.
   *
   * @param requestId  chosen by the requester, never reused on a connection (u32)
   * @param sequence   the segment's media sequence number, 0 to 2^53-1
   * @param start      first byte wanted (u32)
   * @param end        byte after the last wanted (u32), greater than {@code start}
   */
  record Request(long requestId, long sequence, long start, long end) implements PeerFrame {
    /** {@code end} asking for the rest of the segment, whatever its size. */
    public static final long TO_END = PeerCodec.U32_MAX;

    public Request {
      PeerCodec.requireU32("requestId", requestId);
      if (!PeerCodec.validSequence(sequence)) {
        throw new IllegalArgumentException("sequence must be 0 to 2^53-1");
      }
      PeerCodec.requireU32("start", start);
      PeerCodec.requireU32("end", end);
      if (start >= end) {
        throw new IllegalArgumentException("start must be below end");
      }
    }

    @Override
    public FrameType type() {
      return FrameType.REQUEST;
    }
  }

  /**
   * Bytes of a requested range. The payload is a read-only view: a decoded PIECE shares the bytes of
   * the message it came from (copy them out before that buffer is reused), and one built to send shares
   * the bytes it was given.
   *
   * @param requestId  the request it answers
   * @param size       the whole segment's length in bytes (u32)
   * @param offset     where the payload starts in the segment (u32); {@code offset + payload length <= size}
   * @param payload    its remaining bytes, 1 to {@link PeerCodec#MAX_PAYLOAD}
   */
  record Piece(long requestId, long size, long offset, ByteBuffer payload) implements PeerFrame {

    public Piece {
      PeerCodec.requireU32("requestId", requestId);
      PeerCodec.requireU32("size", size);
      PeerCodec.requireU32("offset", offset);
      int length = payload.remaining();
      if (length < 1 || length > PeerCodec.MAX_PAYLOAD) {
        throw new IllegalArgumentException("a payload holds 1 to " + PeerCodec.MAX_PAYLOAD + " bytes");
      }
      if (offset + length > size) {
        throw new IllegalArgumentException("the payload runs past the end of the segment");
      }
      payload = payload.slice().asReadOnlyBuffer();
    }

    /** A view of the payload of its own, so that reading it moves nothing in this record. */
    @Override
    public ByteBuffer payload() {
      return payload.duplicate();
    }

    public int payloadLength() {
      return payload.remaining();
    }

    @Override
    public FrameType type() {
      return FrameType.PIECE;
    }
  }

  /** The requester no longer wants request {@code requestId}; no answer. */
  record Cancel(long requestId) implements PeerFrame {

    public Cancel {
      PeerCodec.requireU32("requestId", requestId);
    }

    @Override
    public FrameType type() {
      return FrameType.CANCEL;
    }
  }

  /** The server will not serve (the rest of) request {@code requestId}. */
  record Reject(long requestId, RejectReason reason) implements PeerFrame {

    public Reject {
      PeerCodec.requireU32("requestId", requestId);
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public FrameType type() {
      return FrameType.REJECT;
    }
  }

  /** The sender closes the channel right after this frame. */
  record Bye(ByeReason reason) implements PeerFrame {

    public Bye {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public FrameType type() {
      return FrameType.BYE;
    }
  }
}
