package dev.swarmcdn.peer.swarm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.peer.store.Holdings;
import dev.swarmcdn.peer.testing.FakeChannel;
import dev.swarmcdn.peer.testing.FakeClock;
import dev.swarmcdn.protocol.peer.ByeReason;
import dev.swarmcdn.protocol.peer.FrameType;
import dev.swarmcdn.protocol.peer.PeerFrame;
import dev.swarmcdn.protocol.peer.RejectReason;
import dev.swarmcdn.protocol.peer.SequenceRange;
import dev.swarmcdn.protocol.tracker.SwarmId;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rules of a connection (docs/PROTOCOL.md), ported from web-player/test/peer-link.test.js:
 * between two links over an in-memory channel pair, and between a link and a raw channel where the
 * test plays a peer that breaks them.
 */
class PeerLinkTest {
  private static final long TO_END = PeerFrame.Request.TO_END;

  static PeerFrame.Hello hello() {
    return hello("demo", "360p");
  }

  static PeerFrame.Hello hello(String stream, String rendition) {
    return new PeerFrame.Hello(new SwarmId(stream, rendition), 0, 4, 1 << 20);
  }

  static Holdings holdings(List<Long> held, List<Long> fetching) {
    return new Holdings(Holdings.toRanges(new TreeSet<>(held), 1024), Holdings.toRanges(new TreeSet<>(fetching), 1024));
  }

  static PeerFrame.Piece piece(long requestId, long size, long offset, int length) {
    return new PeerFrame.Piece(requestId, size, offset, ByteBuffer.allocate(length));
  }

  /** Two links on a pair of channels, opened and greeted. */
  static final class Pair {
    final FakeClock clock = new FakeClock();
    final FakeChannel a;
    final FakeChannel b;
    final LinkRecorder leftEvents = new LinkRecorder();
    final LinkRecorder rightEvents = new LinkRecorder();
    final PeerLink left;
    final PeerLink right;

    Pair() {
      FakeChannel[] ends = FakeChannel.pair(clock);
      a = ends[0];
      b = ends[1];
      left = new PeerLink(a, hello(), clock, () -> Holdings.NONE, leftEvents);
      right = new PeerLink(b, hello(), clock, () -> Holdings.NONE, rightEvents);
      a.open();
      clock.settle();
    }
  }

  /** A link facing a raw channel the test writes frames into. */
  static final class Raw {
    final FakeClock clock = new FakeClock();
    final FakeChannel linkEnd;
    final FakeChannel peer;
    final LinkRecorder events = new LinkRecorder();
    final PeerLink link;

    Raw() {
      FakeChannel[] ends = FakeChannel.pair(clock);
      linkEnd = ends[0];
      peer = ends[1];
      link = new PeerLink(linkEnd, hello(), clock, () -> Holdings.NONE, events);
      linkEnd.open();
      clock.settle();
    }

    /** A raw peer that already sent its HELLO. */
    static Raw greeted() {
      Raw raw = new Raw();
      raw.send(hello());
      assertTrue(raw.link.ready());
      return raw;
    }

    void send(PeerFrame frame) {
      peer.sendFrame(frame);
      clock.settle();
    }

    void sendRaw(byte[] bytes) {
      peer.sendRaw(bytes);
      clock.settle();
    }

    void sendRaw(int... bytes) {
      byte[] message = new byte[bytes.length];
      for (int i = 0; i < bytes.length; i++) {
        message[i] = (byte) bytes[i];
      }
      sendRaw(message);
    }

    /** The link sent BYE with this reason byte last, closed its channel, and told its owner once. */
    void assertClosedWith(ByeReason reason) {
      List<byte[]> wire = linkEnd.sent;
      assertArrayEquals(new byte[] {7, (byte) reason.ordinal()}, wire.get(wire.size() - 1), "BYE " + reason + " on the wire");
      assertEquals(new PeerFrame.Bye(reason), linkEnd.sentFrames().get(wire.size() - 1));
      assertEquals(1, events.closes.size(), "one close event");
      LinkClose close = events.closes.get(0);
      assertEquals(LinkClose.Reason.valueOf(reason.name()), close.reason());
      assertFalse(close.remote());
      assertTrue(link.closed());
      assertFalse(link.ready());
      assertTrue(linkEnd.closed(), "the channel is closed");
    }
  }

  @Nested
  class Handshake {
    @Test
    void bothSidesSendHelloThenHaveAndBecomeReady() {
      Pair pair = new Pair();
      assertTrue(pair.left.ready() && pair.right.ready());
      assertEquals(List.of(FrameType.HELLO, FrameType.HAVE), pair.a.sentFrames().stream().map(PeerFrame::type).toList());
      assertEquals(new PeerFrame.Have(List.of(), List.of()), pair.a.sentFrames().get(1), "an empty HAVE right after HELLO");
      assertEquals("360p", pair.left.remote().swarm().rendition());
      assertEquals(List.of(hello()), pair.leftEvents.ready);
      assertEquals(4, pair.left.requestSlots());
    }

    @Test
    void theFirstHaveSaysWhatTheStoreHoldsAtOpening() {
      FakeClock clock = new FakeClock();
      FakeChannel[] ends = FakeChannel.pair(clock);
      new PeerLink(ends[0], hello(), clock, () -> holdings(List.of(3L, 4L), List.of(5L)), new LinkRecorder());
      ends[0].open();
      assertEquals(new PeerFrame.Have(List.of(new SequenceRange(3, 2)), List.of(new SequenceRange(5, 1))),
          ends[0].sentFrames().get(1));
    }

    @Test
    void aHelloForAnotherRenditionGetsByeWrongSwarm() {
      Raw raw = new Raw();
      raw.send(hello("demo", "180p"));
      raw.assertClosedWith(ByeReason.WRONG_SWARM);
      assertTrue(raw.events.ready.isEmpty());
    }

    @Test
    void aHelloForAnotherStreamGetsByeWrongSwarm() {
      Raw raw = new Raw();
      raw.send(hello("other", "360p"));
      raw.assertClosedWith(ByeReason.WRONG_SWARM);
    }

    @Test
    void twoLinksInDifferentSwarmsBothClose() {
      FakeClock clock = new FakeClock();
      FakeChannel[] ends = FakeChannel.pair(clock);
      LinkRecorder left = new LinkRecorder();
      LinkRecorder right = new LinkRecorder();
      new PeerLink(ends[0], hello(), clock, () -> Holdings.NONE, left);
      new PeerLink(ends[1], hello("demo", "180p"), clock, () -> Holdings.NONE, right);
      ends[0].open();
      clock.settle();
      assertEquals(LinkClose.Reason.WRONG_SWARM, left.closes.get(0).reason());
      assertEquals(LinkClose.Reason.WRONG_SWARM, right.closes.get(0).reason());
      assertEquals(1, left.closes.size());
      assertEquals(1, right.closes.size());
    }

    @Test
    void aHelloOfAnotherVersionGetsByeUnsupportedVersion() {
      Raw raw = new Raw();
      raw.sendRaw(1, 2, 0, 0);
      raw.assertClosedWith(ByeReason.UNSUPPORTED_VERSION);
    }

    @Test
    void aHelloOfAnotherVersionAfterTheFirstGetsByeUnsupportedVersion() {
      Raw raw = Raw.greeted();
      raw.sendRaw(1, 2);
      raw.assertClosedWith(ByeReason.UNSUPPORTED_VERSION);
    }

    @Test
    void aFrameBeforeHelloIsAProtocolError() {
      Raw raw = new Raw();
      raw.send(new PeerFrame.Have(List.of(), List.of()));
      raw.assertClosedWith(ByeReason.PROTOCOL_ERROR);
    }

    @Test
    void aRequestBeforeHelloIsAProtocolErrorAndNeverReachesTheOwner() {
      Raw raw = new Raw();
      raw.send(new PeerFrame.Request(0, 1, 0, TO_END));
      raw.assertClosedWith(ByeReason.PROTOCOL_ERROR);
      assertTrue(raw.events.requests.isEmpty());
    }

    @Test
    void aSecondHelloIsAProtocolError() {
      Raw raw = Raw.greeted();
      raw.send(hello());
      raw.assertClosedWith(ByeReason.PROTOCOL_ERROR);
      assertEquals(1, raw.events.ready.size());
    }

    @Test
    void noHelloWithinTheHandshakeTimeClosesTheLinkWithoutBye() {
      Raw raw = new Raw();
      raw.clock.advance(PeerLink.HANDSHAKE_TIMEOUT_MS - 1);
      assertFalse(raw.link.closed());
      raw.clock.advance(1);
      assertTrue(raw.link.closed());
      assertEquals(List.of(new LinkClose(LinkClose.Reason.TIMEOUT, false, "no HELLO in time")), raw.events.closes);
      assertTrue(raw.linkEnd.sentFrames().stream().noneMatch(f -> f instanceof PeerFrame.Bye));
    }

    @Test
    void aHelloInTimeCancelsTheHandshakeTimeout() {
      Raw raw = Raw.greeted();
      raw.clock.advance(PeerLink.HANDSHAKE_TIMEOUT_MS * 2);
      assertTrue(raw.link.ready());
      assertTrue(raw.events.closes.isEmpty());
    }
  }

  @Nested
  class BadInput {
    static Stream<Arguments> malformed() {
      return Stream.of(
          Arguments.of("empty message", new byte[0]),
          Arguments.of("unknown type", new byte[] {0x42}),
          Arguments.of("truncated REQUEST", new byte[] {3, 0, 0, 0, 0}),
          Arguments.of("CANCEL with trailing bytes", new byte[] {5, 0, 0, 0, 1, 9}),
          Arguments.of("PIECE without payload", new byte[] {4, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 0, 0}),
          Arguments.of("REQUEST with start = end", new byte[] {3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 5, 0, 0, 0, 5}),
          Arguments.of("HAVE range of count 0", new byte[] {2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0}),
          Arguments.of("REJECT reason 9", new byte[] {6, 0, 0, 0, 0, 9}),
          Arguments.of("BYE reason 99", new byte[] {7, 99}),
          Arguments.of("HELLO with an empty stream", new byte[] {1, 1, 0, 0, 0, 4, 0, 0, 0x40, 0, 0, 0}));
    }

    @ParameterizedTest(name = "{0} before HELLO")
    @MethodSource("malformed")
    void aMalformedFrameBeforeHelloGetsByeProtocolError(String what, byte[] bytes) {
      Raw raw = new Raw();
      raw.sendRaw(bytes);
      raw.assertClosedWith(ByeReason.PROTOCOL_ERROR);
    }

    @ParameterizedTest(name = "{0} after HELLO")
    @MethodSource("malformed")
    void aMalformedFrameAfterHelloGetsByeProtocolError(String what, byte[] bytes) {
      Raw raw = Raw.greeted();
      raw.sendRaw(bytes);
      raw.assertClosedWith(ByeReason.PROTOCOL_ERROR);
    }

    @Test
    void aTextMessageGetsByeProtocolError() {
      Raw raw = Raw.greeted();
      raw.peer.sendText("{\"type\":\"have\"}");
      raw.clock.settle();
      raw.assertClosedWith(ByeReason.PROTOCOL_ERROR);
    }

    @Test
    void aTextMessageBeforeHelloGetsByeProtocolError() {
      Raw raw = new Raw();
      raw.peer.sendText("hello");
      raw.clock.settle();
      raw.assertClosedWith(ByeReason.PROTOCOL_ERROR);
    }

    @Test
    void framesAfterTheCloseAreIgnored() {
      Raw raw = Raw.greeted();
      raw.sendRaw(0x42);
      int sent = raw.linkEnd.sent.size();
      // A message already on its way when the link closed reaches a closed link: nothing more happens.
      raw.link.onMessage(ByteBuffer.wrap(new byte[] {0x42}), true);
      raw.link.onMessage(ByteBuffer.wrap(new byte[0]), false);
      raw.link.onClose();
      assertEquals(sent, raw.linkEnd.sent.size());
      assertEquals(1, raw.events.closes.size());
    }

    @Test
    void thePeerClosingTheChannelAfterOurByeDoesNotCloseTwice() {
      Raw raw = Raw.greeted();
      raw.sendRaw(0x42);
      raw.clock.settle();
      assertEquals(1, raw.linkEnd.closeEvents());
      assertEquals(1, raw.events.closes.size());
      assertEquals(LinkClose.Reason.PROTOCOL_ERROR, raw.events.closes.get(0).reason());
    }
  }

  @Nested
  class Requests {
    @Test
    void piecesArriveInOrderAndEndTheRequest() {
      Pair pair = new Pair();
      byte[] data = new byte[40_000];
      for (int i = 0; i < data.length; i++) {
        data[i] = (byte) (i % 251);
      }
      LinkRecorder.Fate fate = new LinkRecorder.Fate();
      pair.left.request(7, 0, TO_END, fate);
      pair.clock.settle();
      PeerFrame.Request request = pair.rightEvents.requests.get(0);
      assertEquals(List.of(7L, 0L, TO_END), List.of(request.sequence(), request.start(), request.end()));
      assertTrue(pair.right.wants(request.requestId()));
      pair.right.sendPiece(request.requestId(), data.length, 0, ByteBuffer.wrap(data, 0, 16_384), false);
      pair.right.sendPiece(request.requestId(), data.length, 16_384, ByteBuffer.wrap(data, 16_384, 16_384), false);
      pair.right.sendPiece(request.requestId(), data.length, 32_768, ByteBuffer.wrap(data, 32_768, 40_000 - 32_768), true);
      assertFalse(pair.right.wants(request.requestId()), "the last PIECE ends it on the server's side");
      pair.clock.settle();
      assertArrayEquals(data, fate.bytes.toByteArray());
      assertEquals(List.of("end"), fate.endings);
      assertEquals(4, pair.left.requestSlots(), "the request is no longer open");
    }

    @Test
    void aRangeEndsAtItsEndNotTheSegments() {
      Raw raw = Raw.greeted();
      LinkRecorder.Fate fate = new LinkRecorder.Fate();
      raw.link.request(1, 100, 150, fate);
      raw.send(piece(0, 1000, 100, 50));
      assertEquals(List.of("end"), fate.endings);
      assertEquals(50, fate.bytes.size());
      assertTrue(raw.link.ready());
    }

    @Test
    void cancellingSendsCancelAndTheServerNoLongerWantsIt() {
      Pair pair = new Pair();
      LinkRecorder.Fate first = new LinkRecorder.Fate();
      pair.left.request(7, 0, TO_END, first);
      LinkRecorder.Fate second = new LinkRecorder.Fate();
      Runnable cancel = pair.left.request(8, 0, TO_END, second);
      pair.clock.settle();
      assertTrue(pair.right.wants(1));
      cancel.run();
      cancel.run();
      pair.clock.settle();
      assertEquals(List.of(1L), pair.rightEvents.cancels, "one CANCEL, for request 1");
      assertFalse(pair.right.wants(1));
      assertTrue(pair.right.wants(0));
      assertTrue(second.endings.isEmpty(), "a cancelled request gets no ending");
    }

    @Test
    void rejectReachesTheRequester() {
      Raw raw = Raw.greeted();
      LinkRecorder.Fate fate = new LinkRecorder.Fate();
      raw.link.request(3, 0, TO_END, fate);
      raw.send(new PeerFrame.Reject(0, RejectReason.NOT_HELD));
      assertEquals(List.of("reject:NOT_HELD"), fate.endings);
      assertTrue(raw.link.ready());
    }

    @Test
    void aHaveThatLiesEndsTheLinkAfterThreeContradictions() {
      Raw raw = Raw.greeted();
      raw.send(new PeerFrame.Have(List.of(new SequenceRange(10, 5)), List.of()));
      for (int i = 0; i < PeerLink.MAX_CONTRADICTIONS; i++) {
        raw.link.request(10 + i, 0, TO_END, new LinkRecorder.Fate());
        raw.send(new PeerFrame.Reject(i, RejectReason.NOT_HELD));
        assertTrue(raw.link.ready(), "holdings may change while a REQUEST travels");
      }
      LinkRecorder.Fate last = new LinkRecorder.Fate();
      raw.link.request(14, 0, TO_END, last);
      raw.send(new PeerFrame.Reject(PeerLink.MAX_CONTRADICTIONS, RejectReason.NOT_HELD));
      assertEquals(List.of("reject:NOT_HELD"), last.endings, "the request gets its ending first");
      raw.assertClosedWith(ByeReason.PROTOCOL_ERROR);
    }

    @Test
    void notHeldAfterANewHaveIsNoLie() {
      Raw raw = Raw.greeted();
      raw.send(new PeerFrame.Have(List.of(new SequenceRange(10, 5)), List.of()));
      for (int i = 0; i <= PeerLink.MAX_CONTRADICTIONS + 1; i++) {
        raw.link.request(10, 0, TO_END, new LinkRecorder.Fate());
        // The segment was evicted: a new HAVE says so before the answer.
        raw.send(new PeerFrame.Have(List.of(new SequenceRange(11, 4)), List.of()));
        raw.send(new PeerFrame.Reject(i, RejectReason.NOT_HELD));
        raw.send(new PeerFrame.Have(List.of(new SequenceRange(10, 5)), List.of()));
      }
      assertTrue(raw.link.ready());
    }

    @Test
    void aPieceOrRejectAfterCancelIsIgnored() {
      Raw raw = Raw.greeted();
      LinkRecorder.Fate fate = new LinkRecorder.Fate();
      raw.link.request(4, 0, TO_END, fate).run();
      raw.send(piece(0, 10, 0, 10));
      raw.send(new PeerFrame.Reject(0, RejectReason.BUSY));
      assertTrue(raw.link.ready(), "a late PIECE or REJECT is no error");
      assertEquals(0, fate.pieces);
      assertTrue(fate.endings.isEmpty());
    }

    @Test
    void aPieceAfterTheRequestCompletedIsIgnored() {
      Raw raw = Raw.greeted();
      LinkRecorder.Fate fate = new LinkRecorder.Fate();
      raw.link.request(4, 0, TO_END, fate);
      raw.send(piece(0, 10, 0, 10));
      raw.send(piece(0, 10, 0, 10));
      assertTrue(raw.link.ready());
      assertEquals(1, fate.pieces);
      assertEquals(List.of("end"), fate.endings);
    }

    static Stream<Arguments> badPieces() {
      return Stream.of(
          Arguments.of("out of order", piece(0, 100, 10, 5)),
          Arguments.of("past the end of the range", piece(0, 100, 0, 60)),
          Arguments.of("for a request never sent", piece(9, 100, 0, 5)),
          Arguments.of("for the next request id, never sent", piece(1, 100, 0, 5)));
    }

    @ParameterizedTest(name = "a PIECE {0}")
    @MethodSource("badPieces")
    void aBadPieceGetsByeProtocolErrorAndTheRequestLearnsTheLinkClosed(String what, PeerFrame.Piece bad) {
      Raw raw = Raw.greeted();
      LinkRecorder.Fate fate = new LinkRecorder.Fate();
      raw.link.request(1, 0, 50, fate);
      raw.send(bad);
      raw.assertClosedWith(ByeReason.PROTOCOL_ERROR);
      assertEquals(0, fate.pieces, "the bad PIECE is not handed on");
      assertEquals(List.of("close"), fate.endings);
    }

    @Test
    void aPieceBeforeTheRangesStartIsOutOfOrder() {
      Raw raw = Raw.greeted();
      raw.link.request(1, 20, 50, new LinkRecorder.Fate());
      raw.send(piece(0, 100, 0, 5));
      raw.assertClosedWith(ByeReason.PROTOCOL_ERROR);
    }

    @Test
    void aPieceGoingBackwardsIsOutOfOrder() {
      Raw raw = Raw.greeted();
      raw.link.request(1, 0, TO_END, new LinkRecorder.Fate());
      raw.send(piece(0, 100, 0, 10));
      raw.send(piece(0, 100, 0, 10));
      raw.assertClosedWith(ByeReason.PROTOCOL_ERROR);
    }

    @Test
    void aSizeThatChangesWithinARequestGetsByeProtocolError() {
      Raw raw = Raw.greeted();
      LinkRecorder.Fate fate = new LinkRecorder.Fate();
      raw.link.request(1, 0, TO_END, fate);
      raw.send(piece(0, 100, 0, 5));
      raw.send(piece(0, 101, 5, 5));
      raw.assertClosedWith(ByeReason.PROTOCOL_ERROR);
      assertEquals(1, fate.pieces);
      assertEquals(List.of("close"), fate.endings);
    }

    @Test
    void aRejectOfARequestNeverSentGetsByeProtocolError() {
      Raw raw = Raw.greeted();
      raw.send(new PeerFrame.Reject(0, RejectReason.BUSY));
      raw.assertClosedWith(ByeReason.PROTOCOL_ERROR);
    }

    @Test
    void aRejectOfTheNextRequestIdGetsByeProtocolError() {
      Raw raw = Raw.greeted();
      raw.link.request(1, 0, TO_END, new LinkRecorder.Fate());
      raw.send(new PeerFrame.Reject(1, RejectReason.BUSY));
      raw.assertClosedWith(ByeReason.PROTOCOL_ERROR);
    }

    @Test
    void openRequestsLearnTheLinkClosedAndAByeClosesWithoutAnAnswer() {
      Pair pair = new Pair();
      LinkRecorder.Fate fate = new LinkRecorder.Fate();
      pair.left.request(1, 0, TO_END, fate);
      pair.clock.settle();
      int leftSent = pair.a.sent.size();
      pair.right.close(ByeReason.LEAVING, null);
      pair.clock.settle();
      assertEquals(List.of("close"), fate.endings);
      assertEquals(List.of(new LinkClose(LinkClose.Reason.LEAVING, true, null)), pair.leftEvents.closes);
      assertEquals(List.of(new LinkClose(LinkClose.Reason.LEAVING, false, null)), pair.rightEvents.closes);
      assertEquals(leftSent, pair.a.sent.size(), "no BYE back");
    }

    @Test
    void theChannelGoingAwayClosesTheLinkAsClosed() {
      Pair pair = new Pair();
      pair.b.close();
      pair.clock.settle();
      assertEquals(List.of(new LinkClose(LinkClose.Reason.CLOSED, true, null)), pair.leftEvents.closes);
      assertTrue(pair.left.closed());
    }

    @Test
    void requestsBeyondWhatTheOtherSideAllowsAreNotOfferedSlots() {
      Pair pair = new Pair();
      for (int i = 0; i < 4; i++) {
        pair.left.request(i, 0, TO_END, new LinkRecorder.Fate());
      }
      assertEquals(0, pair.left.requestSlots());
    }

    @Test
    void aRequestOnALinkNotReadyEndsAtOnceAsClosed() {
      Raw raw = new Raw();
      LinkRecorder.Fate fate = new LinkRecorder.Fate();
      raw.link.request(1, 0, TO_END, fate);
      assertEquals(List.of("close"), fate.endings);
      assertTrue(raw.peer.sentFrames().isEmpty());
    }

    @Test
    void theServerAnswersOnlyRequestsItWasAsked() {
      Raw raw = Raw.greeted();
      int sent = raw.linkEnd.sent.size();
      raw.link.sendPiece(3, 10, 0, ByteBuffer.allocate(10), true);
      raw.link.reject(3, RejectReason.BUSY);
      assertEquals(sent, raw.linkEnd.sent.size());
      raw.send(new PeerFrame.Request(3, 1, 0, TO_END));
      raw.link.reject(3, RejectReason.NOT_HELD);
      raw.link.reject(3, RejectReason.NOT_HELD);
      assertEquals(List.of(new PeerFrame.Reject(3, RejectReason.NOT_HELD)),
          raw.linkEnd.sentFrames().subList(sent, raw.linkEnd.sent.size()));
    }

    @Test
    void aCancelOfARequestNotOpenIsIgnored() {
      Raw raw = Raw.greeted();
      raw.send(new PeerFrame.Cancel(5));
      assertTrue(raw.link.ready());
      assertTrue(raw.events.cancels.isEmpty());
    }
  }

  @Nested
  class ControlFrameBound {
    private void sendHaves(Raw raw, int count) {
      for (int i = 0; i < count; i++) {
        raw.peer.sendFrame(new PeerFrame.Have(List.of(), List.of()));
      }
      raw.clock.settle();
    }

    @Test
    void aBurstUpToTheBoundIsAccepted() {
      Raw raw = Raw.greeted();
      sendHaves(raw, PeerLink.CONTROL_FRAME_BURST);
      assertTrue(raw.link.ready());
      assertEquals(PeerLink.CONTROL_FRAME_BURST, raw.events.haves);
    }

    @Test
    void aFloodOfControlFramesGetsByeProtocolError() {
      Raw raw = Raw.greeted();
      sendHaves(raw, PeerLink.CONTROL_FRAME_BURST + 1);
      raw.assertClosedWith(ByeReason.PROTOCOL_ERROR);
      assertEquals(PeerLink.CONTROL_FRAME_BURST, raw.events.haves);
    }

    @Test
    void aFloodOfCancelsOrRejectsCountsToo() {
      Raw raw = Raw.greeted();
      for (int i = 0; i <= PeerLink.CONTROL_FRAME_BURST; i++) {
        raw.peer.sendFrame(new PeerFrame.Cancel(i));
      }
      raw.clock.settle();
      raw.assertClosedWith(ByeReason.PROTOCOL_ERROR);
    }

    @Test
    void theBoundRefillsAtTheRatePerSecond() {
      Raw raw = Raw.greeted();
      sendHaves(raw, PeerLink.CONTROL_FRAME_BURST);
      raw.clock.advance(1000);
      sendHaves(raw, PeerLink.CONTROL_FRAMES_PER_SECOND);
      assertTrue(raw.link.ready());
      sendHaves(raw, 1);
      raw.assertClosedWith(ByeReason.PROTOCOL_ERROR);
    }

    @Test
    void aPeerSteadilyBelowTheRateIsNeverCut() {
      Raw raw = Raw.greeted();
      for (int second = 0; second < 10; second++) {
        for (int i = 0; i < 10; i++) {
          sendHaves(raw, PeerLink.CONTROL_FRAMES_PER_SECOND / 10 - 1);
          raw.clock.advance(100);
        }
      }
      assertTrue(raw.link.ready());
    }

    @Test
    void piecesAreNotControlFrames() {
      Raw raw = Raw.greeted();
      LinkRecorder.Fate fate = new LinkRecorder.Fate();
      int count = PeerLink.CONTROL_FRAME_BURST * 2;
      raw.link.request(1, 0, TO_END, fate);
      for (int i = 0; i < count; i++) {
        raw.peer.sendFrame(piece(0, count, i, 1));
      }
      raw.clock.settle();
      assertTrue(raw.link.ready());
      assertEquals(List.of("end"), fate.endings);
    }
  }

  @Nested
  class HoldingsAnnounced {
    @Test
    void haveReplacesWhatTheOtherSideKnewAndBurstsGoOutOncePerInterval() {
      Pair pair = new Pair();
      pair.left.sendHave(holdings(List.of(40L, 41L, 42L), List.of(43L)));
      pair.left.sendHave(holdings(List.of(40L, 41L, 42L, 43L), List.of()));
      pair.clock.settle();
      assertFalse(pair.right.holds(43), "both wait for the interval since the first HAVE");
      pair.clock.advance(PeerLink.HAVE_INTERVAL_MS);
      assertTrue(pair.right.holds(43));
      assertFalse(pair.right.holds(39));
      assertEquals(43, pair.right.newestHeld());
      assertEquals(2, haves(pair.a), "the initial HAVE, then the last of the burst");
      pair.left.sendHave(holdings(List.of(41L, 42L, 43L), List.of(44L)));
      pair.clock.advance(PeerLink.HAVE_INTERVAL_MS);
      assertFalse(pair.right.holds(40));
      assertTrue(pair.right.fetches(44));
      assertFalse(pair.right.holds(44));
    }

    @Test
    void aStreamOfChangesGoesOutAsOneHavePerIntervalTheNewestLast() {
      Pair pair = new Pair();
      for (int step = 0; step < 50; step++) {
        pair.left.sendHave(holdings(LongStream.rangeClosed(0, step).boxed().toList(), List.of()));
        pair.clock.advance(7);
      }
      pair.clock.advance(1000);
      List<Long> sentAt = new ArrayList<>();
      for (int i = 0; i < pair.a.sent.size(); i++) {
        if (pair.a.sent.get(i)[0] == 2) {
          sentAt.add(pair.a.sentAt.get(i));
        }
      }
      assertEquals(List.of(1000L, 1100L, 1200L, 1300L, 1400L), sentAt, "the first on opening, then one per 100 ms");
      PeerFrame.Have last = (PeerFrame.Have) pair.a.sentFrames().get(pair.a.sent.size() - 1);
      assertEquals(List.of(new SequenceRange(0, 50)), last.held(), "the newest holdings went out last");
    }

    @Test
    void aHaveLongAfterTheLastGoesOutAtOnce() {
      Pair pair = new Pair();
      pair.clock.advance(PeerLink.HAVE_INTERVAL_MS);
      pair.left.sendHave(holdings(List.of(1L), List.of()));
      assertEquals(2, haves(pair.a));
    }

    @Test
    void noHaveAfterTheLinkClosed() {
      Pair pair = new Pair();
      pair.left.sendHave(holdings(List.of(1L), List.of()));
      pair.left.close(ByeReason.LEAVING, null);
      pair.clock.advance(1000);
      assertEquals(1, haves(pair.a));
      assertEquals(0, pair.clock.pending());
    }

    private int haves(FakeChannel channel) {
      return (int) channel.sent.stream().filter(bytes -> bytes[0] == 2).count();
    }
  }

  @Nested
  class Endings {
    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(ByeReason.class)
    void aByeFromThePeerClosesWithItsReasonAndNoAnswer(ByeReason reason) {
      Raw raw = Raw.greeted();
      int sent = raw.linkEnd.sent.size();
      raw.send(new PeerFrame.Bye(reason));
      assertEquals(List.of(new LinkClose(LinkClose.Reason.valueOf(reason.name()), true, null)), raw.events.closes);
      assertEquals(sent, raw.linkEnd.sent.size());
      assertTrue(raw.linkEnd.closed());
    }

    @Test
    void aSendTheTransportRefusesClosesTheLinkWithoutAnException() {
      Raw raw = Raw.greeted();
      LinkRecorder.Fate fate = new LinkRecorder.Fate();
      raw.link.request(1, 0, TO_END, fate);
      raw.linkEnd.refuseSends();
      raw.link.request(2, 0, TO_END, new LinkRecorder.Fate());
      assertEquals(List.of(new LinkClose(LinkClose.Reason.CLOSED, false, "send failed")), raw.events.closes);
      assertEquals(List.of("close"), fate.endings);
      raw.link.close(ByeReason.LEAVING, null);
      assertEquals(1, raw.events.closes.size());
    }

    @Test
    void aLinkOnAChannelAlreadyOpenGreetsAtOnce() {
      FakeClock clock = new FakeClock();
      FakeChannel[] ends = FakeChannel.pair(clock);
      ends[0].open();
      PeerLink link = new PeerLink(ends[0], hello(), clock, () -> Holdings.NONE, new LinkRecorder());
      assertEquals(List.of(FrameType.HELLO, FrameType.HAVE), ends[0].sentFrames().stream().map(PeerFrame::type).toList());
      link.onOpen();
      assertEquals(2, ends[0].sent.size(), "an open event after that changes nothing");
    }

    @Test
    void leavingSendsByeLeavingAndTheOtherSideClosesAsRemote() {
      Pair pair = new Pair();
      pair.left.close(ByeReason.LEAVING, null);
      pair.clock.settle();
      assertArrayEquals(new byte[] {7, 0}, pair.a.sent.get(pair.a.sent.size() - 1));
      assertEquals(List.of(new LinkClose(LinkClose.Reason.LEAVING, true, null)), pair.rightEvents.closes);
      assertEquals(1, pair.b.closeEvents());
    }
  }

  @Nested
  class BackPressure {
    @Test
    void writersWaitAboveTheHighWaterMarkUntilBufferedAmountLow() {
      Pair pair = new Pair();
      assertEquals(PeerLink.LOW_WATER, pair.a.lowThreshold());
      assertTrue(pair.left.writable());
      pair.a.bufferedAmount(PeerLink.HIGH_WATER);
      assertFalse(pair.left.writable());
      int[] woke = {0};
      pair.left.whenDrained(() -> woke[0]++);
      pair.clock.advance(1000);
      assertEquals(0, woke[0]);
      pair.a.drain(0);
      assertEquals(1, woke[0]);
      pair.a.drain(0);
      assertEquals(1, woke[0], "each waiter runs once");
    }

    @Test
    void writersRunAtOnceBelowTheHighWaterMark() {
      Pair pair = new Pair();
      pair.a.bufferedAmount(PeerLink.HIGH_WATER - 1);
      int[] woke = {0};
      pair.left.whenDrained(() -> woke[0]++);
      assertEquals(1, woke[0]);
    }

    @Test
    void waitingWritersAreWokenWhenTheLinkCloses() {
      Pair pair = new Pair();
      pair.a.bufferedAmount(PeerLink.HIGH_WATER * 2);
      int[] woke = {0};
      pair.left.whenDrained(() -> woke[0]++);
      pair.b.close();
      pair.clock.settle();
      assertEquals(1, woke[0]);
      assertFalse(pair.left.writable());
    }
  }
}
