package dev.swarmcdn.peer.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.swarmcdn.peer.testing.FakeClock;
import dev.swarmcdn.protocol.peer.PeerCodec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shared upload rate (web-player/test/store-upload.test.js, "RateLimiter"). */
class RateLimiterTest {
  private static final int PIECE = PeerCodec.MAX_PAYLOAD;

  private final FakeClock clock = new FakeClock();

  @Test
  void letsAQuarterSecondThroughThenBytesAtTheRateInOrder() {
    RateLimiter limiter = new RateLimiter(64 * 1024, clock); // a quarter second: one PIECE
    assertEquals(List.of(0L, 250L, 500L), List.of(limiter.book(PIECE), limiter.book(PIECE), limiter.book(PIECE)));
  }

  @Test
  void aBurstIsAQuarterSecondOfBytes() {
    RateLimiter limiter = new RateLimiter(1_000_000, clock); // 250,000 bytes: 15 PIECEs
    List<Long> waits = new ArrayList<>();
    for (int i = 0; i < 17; i++) {
      waits.add(limiter.book(PIECE));
    }
    assertEquals(List.of(0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 13L, 29L), waits);
  }

  @Test
  void atLeastOnePieceGoesAtOnceEvenBelowAPiecePerQuarterSecond() {
    RateLimiter limiter = new RateLimiter(PIECE, clock); // one PIECE a second
    assertEquals(0, limiter.book(PIECE));
    assertEquals(1000, limiter.book(PIECE));
  }

  @Test
  void timeGivesTheBurstBackButNoMore() {
    RateLimiter limiter = new RateLimiter(64 * 1024, clock);
    limiter.book(PIECE);
    clock.advance(10_000);
    assertEquals(0, limiter.book(PIECE));
    assertEquals(250, limiter.book(PIECE));
  }

  @Test
  void overTimeTheRateHolds() {
    RateLimiter limiter = new RateLimiter(64 * 1024, clock);
    long bytes = 0;
    for (int i = 0; i < 40; i++) {
      clock.advance(limiter.book(PIECE));
      bytes += PIECE;
    }
    // 40 PIECEs, the first at once: 39 quarter seconds.
    assertEquals(1000 + 39 * 250, clock.now());
    assertEquals(40 * PIECE, bytes);
  }

  @Test
  void zeroMeansNoLimit() {
    RateLimiter limiter = new RateLimiter(0, clock);
    assertEquals(0, limiter.book(1_000_000_000));
    assertEquals(0, limiter.book(1_000_000_000));
  }
}
