package dev.swarmcdn.protocol.peer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.protocol.peer.PeerFrame.Have;
import dev.swarmcdn.protocol.peer.PeerFrame.Hello;
import dev.swarmcdn.protocol.peer.PeerFrame.Piece;
import dev.swarmcdn.protocol.peer.PeerFrame.Request;
import dev.swarmcdn.protocol.tracker.SwarmId;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PeerCodecTest {

  private static final SwarmId SWARM = new SwarmId("demo", "360p");

  private static List<SequenceRange> ranges(long... firstAndCount) {
    List<SequenceRange> ranges = new ArrayList<>();
    for (int i = 0; i < firstAndCount.length; i += 2) {
      ranges.add(new SequenceRange(firstAndCount[i], firstAndCount[i + 1]));
    }
    return ranges;
  }

  @Test
  void decodesFromPositionToLimitAndLeavesTheBufferAlone() throws Exception {
    byte[] frame = PeerCodec.encode(new Request(7, 42, 0, Request.TO_END));
    for (ByteBuffer buffer : List.of(ByteBuffer.allocate(64), ByteBuffer.allocateDirect(64))) {
      buffer.position(10).put(frame).put((byte) 0x55).flip().position(10).limit(10 + frame.length);
      assertEquals(new Request(7, 42, 0, Request.TO_END), PeerCodec.decode(buffer));
      assertEquals(10, buffer.position());
      assertEquals(10 + frame.length, buffer.limit());
    }
  }

  @Test
  void aDecodedPayloadIsAReadOnlyViewOfTheMessage() throws Exception {
    byte[] message = PeerCodec.encode(new Piece(3, 100, 10, ByteBuffer.wrap(new byte[] {1, 2, 3})));
    Piece piece = (Piece) PeerCodec.decode(message);
    message[PeerCodec.PIECE_HEADER] = 9;
    ByteBuffer payload = piece.payload();
    assertEquals(9, payload.get());
    assertEquals(9, piece.payload().get(), "reading one view moves no other");
    assertThrows(ReadOnlyBufferException.class, () -> piece.payload().put((byte) 0));
    assertEquals(3, piece.payloadLength());
  }

  @Test
  void encodesIntoABufferAtItsPosition() {
    Have have = new Have(ranges(41, 6), ranges(47, 1));
    ByteBuffer out = ByteBuffer.allocate(100).position(3);
    PeerCodec.encode(have, out);
    assertEquals(3 + PeerCodec.encodedLength(have), out.position());
    assertArrayEquals(PeerCodec.encode(have), Arrays.copyOfRange(out.array(), 3, out.position()));
    assertThrows(BufferOverflowException.class, () -> PeerCodec.encode(have, ByteBuffer.allocate(10)));
  }

  @Test
  void helloFlags() {
    assertTrue(new Hello(SWARM, Hello.SEEDER | 0x8000, 4, 1 << 20).seeder());
    assertFalse(new Hello(SWARM, 0x8000, 4, 1 << 20).seeder());
  }

  @Test
  void haveAnswersWhoHoldsWhat() {
    Have have = new Have(ranges(0, 30, 100, 12, 500, 1), ranges(40, 2));
    for (long held : new long[] {0, 29, 100, 111, 500}) {
      assertTrue(have.holds(held), Long.toString(held));
    }
    for (long notHeld : new long[] {30, 40, 99, 112, 499, 501, PeerCodec.MAX_SEQUENCE}) {
      assertFalse(have.holds(notHeld), Long.toString(notHeld));
    }
    assertTrue(have.fetches(41));
    assertFalse(have.fetches(42));
    assertFalse(new Have(List.of(), List.of()).holds(0));
  }

  /** Whatever can be built can be encoded and decodes back: the records refuse what the decoder refuses. */
  @Test
  void recordsRefuseWhatTheDecoderWould() {
    List<Runnable> refused = List.of(
        () -> new Hello(SWARM, 0x10000, 4, 1 << 20),
        () -> new Hello(SWARM, -1, 4, 1 << 20),
        () -> new Hello(SWARM, 0, PeerCodec.MAX_REQUESTS + 1, 1 << 20),
        () -> new Hello(SWARM, 0, 4, PeerCodec.MIN_REQUEST_BYTES - 1),
        () -> new Hello(SWARM, 0, 4, PeerCodec.U32_MAX + 1),
        () -> new SequenceRange(0, 0),
        () -> new SequenceRange(-1, 1),
        () -> new SequenceRange(0, PeerCodec.U32_MAX + 1),
        () -> new SequenceRange(PeerCodec.MAX_SEQUENCE, 2),
        () -> new Have(ranges(10, 5, 15, 1), List.of()),
        () -> new Have(ranges(10, 5, 12, 5), List.of()),
        () -> new Have(ranges(20, 5, 10, 5), List.of()),
        () -> new Have(List.of(), ranges(10, 5, 15, 1)),
        () -> new Have(ranges(10, 5), ranges(14, 1)),
        () -> new Have(ranges(10, 1, 20, 1), ranges(0, 100)),
        () -> new Have(spread(PeerCodec.MAX_RANGES + 1), List.of()),
        () -> new Request(-1, 42, 0, 1),
        () -> new Request(PeerCodec.U32_MAX + 1, 42, 0, 1),
        () -> new Request(0, PeerCodec.MAX_SEQUENCE + 1, 0, 1),
        () -> new Request(0, 42, 5, 5),
        () -> new Request(0, 42, 0, PeerCodec.U32_MAX + 1),
        () -> new Piece(0, 10, 0, ByteBuffer.allocate(0)),
        () -> new Piece(0, 1 << 20, 0, ByteBuffer.allocate(PeerCodec.MAX_PAYLOAD + 1)),
        () -> new Piece(0, 10, 8, ByteBuffer.allocate(3)),
        () -> new Piece(0, PeerCodec.U32_MAX + 1, 0, ByteBuffer.allocate(1)),
        () -> new PeerFrame.Cancel(-1),
        () -> new PeerFrame.Reject(PeerCodec.U32_MAX + 1, RejectReason.BUSY));
    for (int i = 0; i < refused.size(); i++) {
      assertThrows(IllegalArgumentException.class, refused.get(i)::run, "case " + i);
    }
    assertEquals(PeerCodec.MAX_RANGES, new Have(spread(PeerCodec.MAX_RANGES - 1), ranges(1_000_000, 1)).held().size() + 1);
  }

  private static List<SequenceRange> spread(int count) {
    List<SequenceRange> ranges = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ranges.add(new SequenceRange(i * 3L, 2));
    }
    return ranges;
  }

  /**
   * Mutated vectors (bytes flipped, cut, grown): the decoder either refuses them with its own exception
   * or reads a frame that encodes back to exactly those bytes. Nothing else escapes, and no frame has
   * two encodings.
   */
  @Test
  void mutatedMessagesDecodeToTheirOwnBytesOrFailCleanly() {
    Random random = new Random(20240611);
    List<byte[]> seeds = PeerVectorsTest.allMessages();
    int decoded = 0;
    for (int i = 0; i < 50_000; i++) {
      byte[] message = mutate(seeds.get(random.nextInt(seeds.size())), random);
      try {
        PeerFrame frame = PeerCodec.decode(message);
        decoded++;
        assertArrayEquals(message, PeerCodec.encode(frame), frame::toString);
      } catch (PeerFrameException expected) {
        // refused with a typed error: what the engine turns into dropping the peer
      }
    }
    assertTrue(decoded > 1_000, "the mutations also produce valid frames: " + decoded);
  }

  static byte[] mutate(byte[] seed, Random random) {
    byte[] message = seed.clone();
    switch (random.nextInt(4)) {
      case 0:
        return message.length == 0 ? message : Arrays.copyOf(message, random.nextInt(message.length));
      case 1:
        return Arrays.copyOf(message, message.length + 1 + random.nextInt(4));
      default:
        for (int flips = 1 + random.nextInt(3); flips > 0 && message.length > 0; flips--) {
          message[random.nextInt(message.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return message;
    }
  }
}
