package dev.swarmcdn.peer.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.protocol.peer.PeerCodec;
import dev.swarmcdn.protocol.peer.SequenceRange;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The segment store (bounded by bytes, least recently used out first, holdings as HAVE ranges),
 * ported from web-player/test/store-upload.test.js, and {@link Holdings#toRanges}.
 */
class SegmentStoreTest {
  private final List<String> changed = new ArrayList<>();

  private static byte[] bytes(int n) {
    return new byte[n];
  }

  private static SequenceRange range(long first, long count) {
    return new SequenceRange(first, count);
  }

  @Test
  void evictsTheLeastRecentlyUsedSegmentsBeyondItsByteBound() {
    SegmentStore store = new SegmentStore(300, changed::add);
    store.put("a/1", 1, bytes(100));
    store.put("a/1", 2, bytes(100), 100, 0);
    store.put("b/1", 1, bytes(100));
    store.get("a/1", 1);
    store.put("a/1", 3, bytes(100));
    assertFalse(store.has("a/1", 2), "the least recently used went");
    assertTrue(store.has("a/1", 1) && store.has("b/1", 1) && store.has("a/1", 3));
    assertEquals(300, store.bytes());
    store.put("a/1", 4, bytes(400));
    assertFalse(store.has("a/1", 4), "larger than the whole store: not kept");
    assertEquals(List.of("a/1", "a/1", "b/1", "a/1"), changed);
  }

  @Test
  void evictsAsManyAsTheNewSegmentNeedsAndTellsEverySwarmThatLostOne() {
    SegmentStore store = new SegmentStore(300, changed::add);
    store.put("a/1", 1, bytes(100));
    store.put("b/1", 1, bytes(100));
    store.put("b/1", 2, bytes(100));
    changed.clear();
    store.put("c/1", 1, bytes(250));
    assertEquals(250, store.bytes());
    assertTrue(store.has("c/1", 1));
    assertFalse(store.has("a/1", 1) || store.has("b/1", 1) || store.has("b/1", 2));
    assertEquals(List.of("a/1", "b/1", "c/1"), changed.stream().sorted().toList());
  }

  @Test
  void hasDoesNotCountAsAUse() {
    SegmentStore store = new SegmentStore(200, changed::add);
    store.put("a/1", 1, bytes(100));
    store.put("a/1", 2, bytes(100));
    assertTrue(store.has("a/1", 1));
    store.put("a/1", 3, bytes(100));
    assertFalse(store.has("a/1", 1));
  }

  @Test
  void puttingASegmentAgainReplacesItsBytes() {
    SegmentStore store = new SegmentStore(1000, changed::add);
    store.put("a/1", 1, bytes(100));
    store.put("a/1", 1, bytes(300), 300, 0);
    assertEquals(300, store.bytes());
    assertEquals(300, store.get("a/1", 1).p2pBytes());
  }

  @Test
  void holdingsPerSwarmHeldAndFetchingNeverBothAndNewest() {
    SegmentStore store = new SegmentStore(1_000_000, changed::add);
    for (long n : new long[] {40, 41, 42, 45}) {
      store.put("demo/360p", n, bytes(10));
    }
    store.put("demo/180p", 50, bytes(10));
    store.fetching("demo/360p", 46, true);
    store.fetching("demo/360p", 47, true);
    store.fetching("demo/360p", 48, true);
    store.put("demo/360p", 47, bytes(10), 10, 0);
    assertEquals(new Holdings(List.of(range(40, 3), range(45, 1), range(47, 1)), List.of(range(46, 1), range(48, 1))),
        store.holdings("demo/360p"));
    assertEquals(new Holdings(List.of(range(50, 1)), List.of()), store.holdings("demo/180p"));
    assertEquals(47L, store.newest("demo/360p"));
    assertNull(store.newest("nobody/x"));
    assertEquals(Holdings.NONE, store.holdings("nobody/x"));
  }

  @Test
  void fetchingTellsOnlyWhenTheAnnouncementChanges() {
    SegmentStore store = new SegmentStore(1000, changed::add);
    store.fetching("a/1", 5, true);
    store.fetching("a/1", 5, true);
    store.fetching("a/1", 5, false);
    store.fetching("a/1", 5, false);
    assertEquals(List.of("a/1", "a/1"), changed);
  }

  @Test
  void dropBeforeForgetsOneSwarmsOlderSegments() {
    SegmentStore store = new SegmentStore(1000, changed::add);
    for (long n = 1; n <= 4; n++) {
      store.put("a/1", n, bytes(10));
    }
    store.put("b/1", 1, bytes(10));
    changed.clear();
    store.dropBefore("a/1", 3);
    assertEquals(List.of("a/1"), changed);
    assertEquals(new Holdings(List.of(range(3, 2)), List.of()), store.holdings("a/1"));
    assertTrue(store.has("b/1", 1));
    assertEquals(30, store.bytes());
    store.dropBefore("a/1", 3);
    assertEquals(List.of("a/1"), changed, "nothing dropped: nothing told");
  }

  @Test
  void handOverCountsEachSegmentOnce() {
    SegmentStore store = new SegmentStore(1000, changed::add);
    store.put("a/1", 1, bytes(10));
    assertTrue(store.handOver("a/1", 1));
    assertFalse(store.handOver("a/1", 1), "a second handover is a cache hit");
    assertTrue(store.handOver("a/1", 2), "not held: fetched for this handover");
    assertTrue(store.handOver("a/1", 2), "still not held: fetched again");
    assertFalse(store.handOver("a/1", 1));
  }

  @Test
  void holdingsKeepTheNewestRangesWhenThereAreMoreThanAHaveCarries() {
    SegmentStore store = new SegmentStore(100_000_000, changed::add);
    int ranges = PeerCodec.MAX_RANGES + 10;
    for (long i = 0; i < ranges; i++) {
      store.put("a/1", i * 2, bytes(1));
    }
    Holdings holdings = store.holdings("a/1");
    assertEquals(PeerCodec.MAX_RANGES, holdings.held().size());
    assertEquals(range(20, 1), holdings.held().get(0), "the 10 oldest left out");
    assertEquals(range((ranges - 1) * 2L, 1), holdings.held().get(PeerCodec.MAX_RANGES - 1));
  }

  @Test
  void fetchingRangesTakeAtMostHalfAHave() {
    SegmentStore store = new SegmentStore(100_000_000, changed::add);
    for (long i = 0; i < PeerCodec.MAX_RANGES; i++) {
      store.put("a/1", i * 4, bytes(1));
      store.fetching("a/1", i * 4 + 2, true);
    }
    Holdings holdings = store.holdings("a/1");
    assertEquals(PeerCodec.MAX_RANGES / 2, holdings.fetching().size());
    assertEquals(PeerCodec.MAX_RANGES, holdings.held().size() + holdings.fetching().size());
    assertEquals(range((PeerCodec.MAX_RANGES - 1) * 4L + 2, 1), holdings.fetching().get(PeerCodec.MAX_RANGES / 2 - 1));
  }

  @Test
  void toRangesFoldsSequencesIntoAscendingNonTouchingRangesTheNewestKept() {
    assertEquals(List.of(range(3, 3), range(9, 2), range(12, 1)),
        Holdings.toRanges(new TreeSet<>(List.of(5L, 3L, 4L, 9L, 10L, 12L)), 1024));
    assertEquals(List.of(range(3, 1), range(5, 1)), Holdings.toRanges(new TreeSet<>(List.of(1L, 3L, 5L)), 2));
    assertEquals(List.of(), Holdings.toRanges(new TreeSet<>(), 1024));
    TreeSet<Long> window = new TreeSet<>();
    LongStream.range(1000, 1300).forEach(window::add);
    assertEquals(List.of(range(1000, 300)), Holdings.toRanges(window, 1));
  }
}
