package dev.swarmcdn.protocol.peer;

import dev.swarmcdn.protocol.peer.PeerFrame.Bye;
import dev.swarmcdn.protocol.peer.PeerFrame.Cancel;
import dev.swarmcdn.protocol.peer.PeerFrame.Have;
import dev.swarmcdn.protocol.peer.PeerFrame.Hello;
import dev.swarmcdn.protocol.peer.PeerFrame.Piece;
import dev.swarmcdn.protocol.peer.PeerFrame.Reject;
import dev.swarmcdn.protocol.peer.PeerFrame.Request;
import dev.swarmcdn.protocol.tracker.SwarmId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Bytes of the peer protocol, version 1: one frame per data-channel message, big-endian, fixed
 * layouts. Decoding is strict (docs/PROTOCOL.md, "Decoding": the first failing check decides the
 * error) and throws nothing but {@link PeerFrameException} whatever the bytes. It reads the message in
 * place: only a PIECE's payload is kept, as a view, never copied.
 */
public final class PeerCodec {

  public static final int VERSION = 1;
  /** The most payload one PIECE carries. */
  public static final int MAX_PAYLOAD = 16 * 1024;
  /** The most ranges one HAVE carries, held and fetching together. */
  public static final int MAX_RANGES = 1024;
  /** The most open requests a HELLO may allow. */
  public static final int MAX_REQUESTS = 1024;
  /** The least a HELLO may set as maxRequestBytes: one full PIECE. */
  public static final long MIN_REQUEST_BYTES = MAX_PAYLOAD;
  /** JavaScript's Number.MAX_SAFE_INTEGER, as in the tracker protocol. */
  public static final long MAX_SEQUENCE = (1L << 53) - 1;
  public static final long U32_MAX = 0xFFFF_FFFFL;
  /** A stream or rendition name, in bytes: the tracker's rule for the same fields. */
  static final int MAX_NAME_LENGTH = 128;

  static final int HELLO_FIXED = 12;
  static final int HAVE_HEADER = 5;
  static final int RANGE_BYTES = 12;
  static final int REQUEST_LENGTH = 21;
  static final int PIECE_HEADER = 13;
  static final int CANCEL_LENGTH = 5;
  static final int REJECT_LENGTH = 6;
  static final int BYE_LENGTH = 2;
  /** The longest frame: a PIECE with a full payload. */
  public static final int MAX_FRAME_LENGTH = PIECE_HEADER + MAX_PAYLOAD;

  /** A reason's wire byte is its ordinal. Kept: values() copies its array on every call. */
  private static final RejectReason[] REJECT_REASONS = RejectReason.values();
  private static final ByeReason[] BYE_REASONS = ByeReason.values();

  private PeerCodec() {}

  // ---------------------------------------------------------------------------------------- decode

  public static PeerFrame decode(byte[] message) throws PeerFrameException {
    return decode(ByteBuffer.wrap(message));
  }

  /** Reads the bytes from the buffer's position to its limit; leaves the buffer as it was. */
  public static PeerFrame decode(ByteBuffer message) throws PeerFrameException {
    ByteBuffer in = message.slice(); // big-endian, index 0 is the type byte
    if (in.limit() == 0) {
      throw new PeerFrameException(FrameError.TRUNCATED, "empty message");
    }
    FrameType type = FrameType.fromCode(u8(in, 0));
    if (type == null) {
      throw new PeerFrameException(FrameError.UNKNOWN_TYPE, "type byte " + u8(in, 0));
    }
    switch (type) {
      case HELLO:
        return hello(in);
      case HAVE:
        return have(in);
      case REQUEST:
        return request(in);
      case PIECE:
        return piece(in);
      case CANCEL:
        exactLength(in, CANCEL_LENGTH, type);
        return new Cancel(u32(in, 1));
      case REJECT:
        exactLength(in, REJECT_LENGTH, type);
        return new Reject(u32(in, 1), reason(REJECT_REASONS, u8(in, 5), type));
      case BYE:
        exactLength(in, BYE_LENGTH, type);
        return new Bye(reason(BYE_REASONS, u8(in, 1), type));
      default:
        throw new AssertionError(type);
    }
  }

  private static Hello hello(ByteBuffer in) throws PeerFrameException {
    need(in, 2, FrameType.HELLO);
    if (u8(in, 1) != VERSION) {
      throw new PeerFrameException(FrameError.UNSUPPORTED_VERSION, "HELLO version " + u8(in, 1));
    }
    int streamAt = HELLO_FIXED - 2;
    int streamLength = nameLength(in, streamAt, "stream");
    int renditionAt = streamAt + 1 + streamLength;
    int renditionLength = nameLength(in, renditionAt, "rendition");
    exactLength(in, renditionAt + 1 + renditionLength, FrameType.HELLO);
    try {
      // Everything the records refuse from here on is out of bounds.
      return new Hello(new SwarmId(ascii(in, streamAt + 1, streamLength), ascii(in, renditionAt + 1, renditionLength)),
          u16(in, 2), u16(in, 4), u32(in, 6));
    } catch (IllegalArgumentException e) {
      throw new PeerFrameException(FrameError.OUT_OF_BOUNDS, e.getMessage());
    }
  }

  private static Have have(ByteBuffer in) throws PeerFrameException {
    need(in, HAVE_HEADER, FrameType.HAVE);
    int held = u16(in, 1);
    int fetching = u16(in, 3);
    if (held + fetching > MAX_RANGES) {
      throw new PeerFrameException(FrameError.OUT_OF_BOUNDS, (held + fetching) + " ranges, at most " + MAX_RANGES);
    }
    exactLength(in, HAVE_HEADER + RANGE_BYTES * (held + fetching), FrameType.HAVE);
    try {
      // Everything the records refuse from here on is a bad range.
      return new Have(ranges(in, HAVE_HEADER, held), ranges(in, HAVE_HEADER + RANGE_BYTES * held, fetching));
    } catch (IllegalArgumentException e) {
      throw new PeerFrameException(FrameError.BAD_RANGE, e.getMessage());
    }
  }

  private static List<SequenceRange> ranges(ByteBuffer in, int at, int count) {
    List<SequenceRange> ranges = new ArrayList<>(count);
    for (int i = 0; i < count; i++, at += RANGE_BYTES) {
      ranges.add(new SequenceRange(in.getLong(at), u32(in, at + 8)));
    }
    return ranges;
  }

  private static Request request(ByteBuffer in) throws PeerFrameException {
    exactLength(in, REQUEST_LENGTH, FrameType.REQUEST);
    long sequence = in.getLong(5);
    if (!validSequence(sequence)) {
      throw new PeerFrameException(FrameError.OUT_OF_BOUNDS, "sequence " + Long.toUnsignedString(sequence));
    }
    long start = u32(in, 13);
    long end = u32(in, 17);
    if (start >= end) {
      throw new PeerFrameException(FrameError.BAD_RANGE, "bytes " + start + " to " + end);
    }
    return new Request(u32(in, 1), sequence, start, end);
  }

  private static Piece piece(ByteBuffer in) throws PeerFrameException {
    need(in, PIECE_HEADER + 1, FrameType.PIECE);
    int length = in.limit() - PIECE_HEADER;
    if (length > MAX_PAYLOAD) {
      throw new PeerFrameException(FrameError.PAYLOAD_TOO_LARGE, length + " bytes of payload");
    }
    long size = u32(in, 5);
    long offset = u32(in, 9);
    if (offset + length > size) {
      throw new PeerFrameException(FrameError.BAD_RANGE,
          "bytes " + offset + " to " + (offset + length) + " of a segment of " + size);
    }
    return new Piece(u32(in, 1), size, offset, in.slice(PIECE_HEADER, length));
  }

  private static <E> E reason(E[] reasons, int code, FrameType type) throws PeerFrameException {
    if (code >= reasons.length) {
      throw new PeerFrameException(FrameError.OUT_OF_BOUNDS, type + " reason " + code);
    }
    return reasons[code];
  }

  private static int nameLength(ByteBuffer in, int at, String field) throws PeerFrameException {
    need(in, at + 1, FrameType.HELLO);
    int length = u8(in, at);
    if (length < 1 || length > MAX_NAME_LENGTH) {
      throw new PeerFrameException(FrameError.OUT_OF_BOUNDS, field + " of " + length + " bytes");
    }
    return length;
  }

  /** At least {@code length} bytes, else truncated. */
  private static void need(ByteBuffer in, int length, FrameType type) throws PeerFrameException {
    if (in.limit() < length) {
      throw new PeerFrameException(FrameError.TRUNCATED, type + " of " + in.limit() + " bytes, needs " + length);
    }
  }

  private static void exactLength(ByteBuffer in, int length, FrameType type) throws PeerFrameException {
    need(in, length, type);
    if (in.limit() > length) {
      throw new PeerFrameException(FrameError.TRAILING_BYTES, type + " of " + in.limit() + " bytes, expected " + length);
    }
  }

  /** Bytes as ISO-8859-1, one char each, so that the printable-ASCII rule sees every byte as it is. */
  private static String ascii(ByteBuffer in, int at, int length) {
    byte[] bytes = new byte[length];
    in.get(at, bytes);
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  private static int u8(ByteBuffer in, int at) {
    return in.get(at) & 0xFF;
  }

  private static int u16(ByteBuffer in, int at) {
    return in.getShort(at) & 0xFFFF;
  }

  private static long u32(ByteBuffer in, int at) {
    return in.getInt(at) & U32_MAX;
  }

  // ---------------------------------------------------------------------------------------- encode

  /** The exact length {@link #encode(PeerFrame, ByteBuffer)} writes. */
  public static int encodedLength(PeerFrame frame) {
    if (frame instanceof Hello hello) {
      return HELLO_FIXED + hello.swarm().stream().length() + hello.swarm().rendition().length();
    } else if (frame instanceof Have have) {
      return HAVE_HEADER + RANGE_BYTES * (have.held().size() + have.fetching().size());
    } else if (frame instanceof Request) {
      return REQUEST_LENGTH;
    } else if (frame instanceof Piece piece) {
      return PIECE_HEADER + piece.payloadLength();
    } else if (frame instanceof Cancel) {
      return CANCEL_LENGTH;
    } else if (frame instanceof Reject) {
      return REJECT_LENGTH;
    } else {
      return BYE_LENGTH;
    }
  }

  /** The frame as one message. */
  public static byte[] encode(PeerFrame frame) {
    ByteBuffer out = ByteBuffer.allocate(encodedLength(frame));
    encode(frame, out);
    return out.array();
  }

  /**
   * Writes the frame at the buffer's position and moves it past the frame, e.g. into a pooled buffer.
   *
   * @throws java.nio.BufferOverflowException when fewer than {@link #encodedLength} bytes remain
   */
  public static void encode(PeerFrame frame, ByteBuffer out) {
    out.put((byte) frame.type().code());
    if (frame instanceof Hello hello) {
      out.put((byte) VERSION).putShort((short) hello.flags()).putShort((short) hello.maxRequests())
          .putInt((int) hello.maxRequestBytes());
      putName(out, hello.swarm().stream());
      putName(out, hello.swarm().rendition());
    } else if (frame instanceof Have have) {
      out.putShort((short) have.held().size()).putShort((short) have.fetching().size());
      putRanges(out, have.held());
      putRanges(out, have.fetching());
    } else if (frame instanceof Request request) {
      out.putInt((int) request.requestId()).putLong(request.sequence()).putInt((int) request.start())
          .putInt((int) request.end());
    } else if (frame instanceof Piece piece) {
      out.putInt((int) piece.requestId()).putInt((int) piece.size()).putInt((int) piece.offset())
          .put(piece.payload());
    } else if (frame instanceof Cancel cancel) {
      out.putInt((int) cancel.requestId());
    } else if (frame instanceof Reject reject) {
      out.putInt((int) reject.requestId()).put((byte) reject.reason().ordinal());
    } else if (frame instanceof Bye bye) {
      out.put((byte) bye.reason().ordinal());
    }
  }

  /** SwarmId holds printable ASCII only: one byte per char. */
  private static void putName(ByteBuffer out, String name) {
    out.put((byte) name.length());
    for (int i = 0; i < name.length(); i++) {
      out.put((byte) name.charAt(i));
    }
  }

  private static void putRanges(ByteBuffer out, List<SequenceRange> ranges) {
    for (SequenceRange range : ranges) {
      out.putLong(range.first()).putInt((int) range.count());
    }
  }

  // ----------------------------------------------------------------------------------------- rules

  static boolean validSequence(long sequence) {
    return sequence >= 0 && sequence <= MAX_SEQUENCE;
  }

  static void requireU32(String field, long value) {
    if (value < 0 || value > U32_MAX) {
      throw new IllegalArgumentException(field + " must be 0 to 2^32-1");
    }
  }
}
