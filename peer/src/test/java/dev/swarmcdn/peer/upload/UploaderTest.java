package dev.swarmcdn.peer.upload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.peer.store.Holdings;
import dev.swarmcdn.peer.store.SegmentStore;
import dev.swarmcdn.peer.swarm.PeerLink;
import dev.swarmcdn.peer.testing.FakeChannel;
import dev.swarmcdn.peer.testing.FakeClock;
import dev.swarmcdn.protocol.peer.ByeReason;
import dev.swarmcdn.protocol.peer.PeerCodec;
import dev.swarmcdn.protocol.peer.PeerFrame;
import dev.swarmcdn.protocol.peer.RejectReason;
import dev.swarmcdn.protocol.tracker.SwarmId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The uploader (same swarm only, slots, rate, 16 KiB PIECEs, back-pressure), ported from
 * web-player/test/store-upload.test.js, serving over a real {@link PeerLink} on an in-memory
 * channel whose far end the test plays.
 */
class UploaderTest {
  private static final String SWARM = "demo/360p";
  private static final long TO_END = PeerFrame.Request.TO_END;
  private static final int SIZE = 40_000;

  private final FakeClock clock = new FakeClock();
  private final SegmentStore store = new SegmentStore(10_000_000, swarm -> { });
  private final List<PeerFrame.Request> requests = new ArrayList<>();
  private FakeChannel linkEnd;
  private FakeChannel peer;
  private PeerLink link;
  private long uploaded;

  UploaderTest() {
    store.put(SWARM, 7, filled(SIZE, 7));
  }

  private static byte[] filled(int n, int fill) {
    byte[] bytes = new byte[n];
    Arrays.fill(bytes, (byte) fill);
    return bytes;
  }

  private Uploader uploader(int slots, long maxRate, boolean enabled, UploadTamper tamper) {
    return new Uploader(store, slots, maxRate, enabled, clock, (swarm, n) -> uploaded += n, tamper);
  }

  private Uploader uploader() {
    return uploader(2, 0, true, null);
  }

  /** Opens the link (announcing {@code maxRequestBytes}) and greets it from the far end. */
  private void connect(long maxRequestBytes) {
    FakeChannel[] ends = FakeChannel.pair(clock);
    linkEnd = ends[0];
    peer = ends[1];
    var local = new PeerFrame.Hello(new SwarmId("demo", "360p"), 0, 8, maxRequestBytes);
    link = new PeerLink(linkEnd, local, clock, () -> Holdings.NONE, new PeerLink.Events() {
      @Override
      public void request(PeerFrame.Request request) {
        requests.add(request);
      }
    });
    linkEnd.open();
    peer.sendFrame(new PeerFrame.Hello(new SwarmId("demo", "360p"), 0, 8, 1 << 20));
    clock.settle();
    assertTrue(link.ready());
  }

  private void connect() {
    connect(4L << 20);
  }

  /** The far end asks; the uploader is handed the request as the engine hands it. */
  private void serve(Uploader up, String swarm, long id, long sequence, long start, long end) {
    peer.sendFrame(new PeerFrame.Request(id, sequence, start, end));
    clock.settle();
    up.serve(link, swarm, requests.get(requests.size() - 1));
  }

  private void serve(Uploader up, long id, long sequence) {
    serve(up, SWARM, id, sequence, 0, TO_END);
  }

  private List<PeerFrame.Piece> pieces() {
    return linkEnd.sentFrames().stream().filter(PeerFrame.Piece.class::isInstance).map(PeerFrame.Piece.class::cast).toList();
  }

  private List<List<Long>> offsetsLengths() {
    return pieces().stream().map(p -> List.of(p.offset(), (long) p.payloadLength())).toList();
  }

  private List<PeerFrame.Reject> rejects() {
    return linkEnd.sentFrames().stream().filter(PeerFrame.Reject.class::isInstance).map(PeerFrame.Reject.class::cast).toList();
  }

  private List<Long> pieceTimes() {
    List<Long> times = new ArrayList<>();
    for (int i = 0; i < linkEnd.sent.size(); i++) {
      if (linkEnd.sent.get(i)[0] == 4) {
        times.add(linkEnd.sentAt.get(i) - 1000);
      }
    }
    return times;
  }

  @Test
  void servesAHeldSegmentInPiecesOfAtMost16KiB() {
    connect();
    Uploader up = uploader();
    serve(up, 0, 7);
    int max = PeerCodec.MAX_PAYLOAD;
    assertEquals(List.of(List.of(0L, (long) max), List.of((long) max, (long) max), List.of(2L * max, (long) SIZE - 2 * max)),
        offsetsLengths());
    assertTrue(pieces().stream().allMatch(p -> p.size() == SIZE && p.requestId() == 0));
    assertEquals(SIZE, uploaded);
    assertEquals(0, up.active());
    assertEquals(2, up.freeSlots());
  }

  @Test
  void theFarEndGetsTheWholeSegmentThroughItsOwnLink() {
    FakeChannel[] ends = FakeChannel.pair(clock);
    var hello = new PeerFrame.Hello(new SwarmId("demo", "360p"), 0, 4, 1 << 20);
    Uploader up = uploader();
    PeerLink[] server = new PeerLink[1];
    server[0] = new PeerLink(ends[0], hello, clock, () -> Holdings.NONE, new PeerLink.Events() {
      @Override
      public void request(PeerFrame.Request request) {
        up.serve(server[0], SWARM, request);
      }
    });
    PeerLink client = new PeerLink(ends[1], hello, clock, () -> Holdings.NONE, new PeerLink.Events() { });
    ends[0].open();
    clock.settle();
    java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
    List<String> endings = new ArrayList<>();
    client.request(7, 0, TO_END, new dev.swarmcdn.peer.swarm.RequestHandler() {
      @Override
      public void onPiece(PeerFrame.Piece piece) {
        byte[] bytes = new byte[piece.payloadLength()];
        piece.payload().get(bytes);
        got.writeBytes(bytes);
      }

      @Override
      public void onEnd() {
        endings.add("end");
      }

      @Override
      public void onReject(RejectReason reason) {
        endings.add("reject");
      }

      @Override
      public void onClose() {
        endings.add("close");
      }
    });
    clock.settle();
    assertEquals(List.of("end"), endings);
    assertArrayEquals(filled(SIZE, 7), got.toByteArray());
  }

  @Test
  void aRangeFromAByteOffsetToAByteEnd() {
    connect();
    serve(uploader(), SWARM, 0, 7, 30_000, 35_000);
    assertEquals(List.of(List.of(30_000L, 5000L)), offsetsLengths());
  }

  @Test
  void anEndPastTheSegmentStopsAtItsSize() {
    connect();
    serve(uploader(), SWARM, 0, 7, 39_000, 50_000);
    assertEquals(List.of(List.of(39_000L, 1000L)), offsetsLengths());
    assertEquals(SIZE, pieces().get(0).size());
  }

  @Test
  void refusesWhatItDoesNotHoldBadRangesAndBeyondItsSlots() {
    connect();
    linkEnd.bufferedAmount(PeerLink.HIGH_WATER);
    Uploader up = uploader();
    serve(up, "demo/180p", 0, 7, 0, TO_END);
    serve(up, 1, 8);
    serve(up, SWARM, 2, 7, SIZE, TO_END);
    serve(up, 3, 7);
    serve(up, 4, 7);
    serve(up, 5, 7);
    assertEquals(List.of(new PeerFrame.Reject(0, RejectReason.NOT_HELD), new PeerFrame.Reject(1, RejectReason.NOT_HELD),
        new PeerFrame.Reject(2, RejectReason.BAD_REQUEST), new PeerFrame.Reject(5, RejectReason.BUSY)), rejects());
    assertEquals(0, up.freeSlots());
    assertEquals(2, up.active());
  }

  @Test
  void aRangeLongerThanTheMaxRequestBytesWeAnnouncedIsABadRequest() {
    connect(PeerCodec.MIN_REQUEST_BYTES);
    Uploader up = uploader();
    serve(up, 0, 7);
    serve(up, SWARM, 1, 7, 0, PeerCodec.MIN_REQUEST_BYTES + 1);
    serve(up, SWARM, 2, 7, 0, PeerCodec.MIN_REQUEST_BYTES);
    assertEquals(List.of(new PeerFrame.Reject(0, RejectReason.BAD_REQUEST), new PeerFrame.Reject(1, RejectReason.BAD_REQUEST)),
        rejects());
    assertEquals(List.of(List.of(0L, (long) PeerCodec.MIN_REQUEST_BYTES)), offsetsLengths());
  }

  @Test
  void aSlotIsFreeAgainOnceItsTransferEnded() {
    connect();
    Uploader up = uploader(1, 0, true, null);
    serve(up, 0, 7);
    serve(up, 1, 7);
    assertTrue(rejects().isEmpty());
    assertEquals(2 * SIZE, uploaded);
  }

  @Test
  void pausesAboveTheHighWaterMarkAndResumesOnBufferedAmountLow() {
    connect();
    int size = 2 << 20;
    store.put(SWARM, 9, filled(size, 9));
    linkEnd.queueing(true);
    Uploader up = uploader();
    serve(up, 0, 9);
    int frame = PeerCodec.MAX_FRAME_LENGTH;
    int perWindow = (int) ((PeerLink.HIGH_WATER + frame - 1) / frame);
    assertEquals(perWindow, pieces().size(), "PIECEs up to the high-water mark, no more");
    assertTrue(linkEnd.bufferedAmount() >= PeerLink.HIGH_WATER);
    assertTrue(linkEnd.bufferedAmount() < PeerLink.HIGH_WATER + frame);
    clock.advance(5000);
    assertEquals(perWindow, pieces().size(), "nothing more while the channel stays full");
    assertEquals(1, up.active());
    linkEnd.drain(PeerLink.HIGH_WATER / 2);
    assertEquals(perWindow, pieces().size(), "above the low-water mark: no event yet");
    linkEnd.drain(0);
    assertEquals(2 * perWindow, pieces().size());
    linkEnd.drain(0);
    clock.settle();
    assertEquals(size / PeerCodec.MAX_PAYLOAD, pieces().size());
    assertEquals(0, up.active());
    assertEquals(size, uploaded);
  }

  @Test
  void waitsForTheChannelToDrainAndStopsWhenTheRequestIsCancelled() {
    connect();
    linkEnd.bufferedAmount(PeerLink.HIGH_WATER);
    Uploader up = uploader();
    serve(up, 0, 7);
    assertTrue(pieces().isEmpty());
    peer.sendFrame(new PeerFrame.Cancel(0));
    clock.settle();
    linkEnd.drain(0);
    assertTrue(pieces().isEmpty());
    assertEquals(0, up.active());
    assertEquals(0, uploaded);
  }

  @Test
  void aTransferWaitingForTheChannelEndsWhenTheLinkCloses() {
    connect();
    linkEnd.bufferedAmount(PeerLink.HIGH_WATER);
    Uploader up = uploader();
    serve(up, 0, 7);
    link.close(ByeReason.LEAVING, null);
    assertEquals(0, up.active());
    assertTrue(pieces().isEmpty());
  }

  @Test
  void uploadOffAnswersEveryRequestBusy() {
    connect();
    Uploader up = uploader(2, 0, false, null);
    serve(up, 0, 7);
    assertEquals(List.of(new PeerFrame.Reject(0, RejectReason.BUSY)), rejects());
    assertEquals(0, up.freeSlots());
  }

  @Test
  void theTestHookRewritesServedBytesNotTheStoredOnes() {
    connect();
    Uploader up = uploader(2, 0, true, (sequence, payload) -> {
      Arrays.fill(payload, (byte) (sequence + 1));
      return payload;
    });
    serve(up, 0, 7);
    assertTrue(pieces().stream().allMatch(p -> p.payload().get(0) == 8));
    assertEquals(7, store.get(SWARM, 7).data()[0]);
  }

  @Test
  void theRateLimitLetsAQuarterSecondThroughThenBytesAtTheRate() {
    connect();
    Uploader up = uploader(2, 64 * 1024, true, null); // a quarter second: one 16 KiB PIECE
    serve(up, 0, 7);
    assertEquals(List.of(0L), pieceTimes());
    clock.advance(249);
    assertEquals(List.of(0L), pieceTimes());
    clock.advance(1);
    assertEquals(List.of(0L, 250L), pieceTimes());
    clock.advance(111);
    // The last PIECE, 7,232 bytes, waits its own share: 110.4 ms.
    assertEquals(List.of(0L, 250L, 361L), pieceTimes());
    assertEquals(0, up.active());
  }

  @Test
  void transfersShareTheRate() {
    connect();
    Uploader up = uploader(2, 64 * 1024, true, null);
    serve(up, 0, 7);
    serve(up, 1, 7);
    clock.advance(10_000);
    // Bookings in turn: 16 KiB takes 250 ms, the last 7,232 bytes of each 110.4 ms.
    assertEquals(List.of(0L, 250L, 500L, 611L, 861L, 971L), pieceTimes());
    assertEquals(List.of(0L, 0L, 1L, 0L, 1L, 1L), pieces().stream().map(PeerFrame.Piece::requestId).toList());
    assertEquals(2 * SIZE, uploaded);
  }

  @Test
  void aTransferWaitingForTheRateStopsWhenCancelled() {
    connect();
    Uploader up = uploader(2, 64 * 1024, true, null);
    serve(up, 0, 7);
    peer.sendFrame(new PeerFrame.Cancel(0));
    clock.advance(1000);
    assertEquals(1, pieces().size());
    assertEquals(0, up.active());
  }
}
