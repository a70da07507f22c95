package dev.swarmcdn.peer.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** Stores given one pool keep one array for equal segments, and never take bytes that differ. */
class SharedSegmentsTest {

  @Test
  void twoStoresHoldingTheSameSegmentKeepOneArray() {
    SharedSegments shared = SharedSegments.create();
    SegmentStore first = new SegmentStore(1 << 20, swarm -> { }, shared);
    SegmentStore second = new SegmentStore(1 << 20, swarm -> { }, shared);
    byte[] fetchedByFirst = {1, 2, 3};
    byte[] fetchedBySecond = {1, 2, 3};

    byte[] keptByFirst = first.put("demo/360p", 7, fetchedByFirst, 0, 0);
    byte[] keptBySecond = second.put("demo/360p", 7, fetchedBySecond, 3, 0);

    assertSame(fetchedByFirst, keptByFirst);
    assertSame(fetchedByFirst, keptBySecond, "the second store keeps the first one's array");
    assertSame(fetchedByFirst, second.get("demo/360p", 7).data());
  }

  @Test
  void bytesThatDifferAreKeptApart() {
    SharedSegments shared = SharedSegments.create();
    byte[] one = {1, 2, 3};
    byte[] other = {1, 2, 4};
    assertSame(one, shared.share("demo/360p", 7, one));
    assertSame(other, shared.share("demo/360p", 7, other), "not the same bytes: not shared");
    assertArrayEquals(new byte[] {1, 2, 3}, shared.share("demo/360p", 7, new byte[] {1, 2, 3}));
    assertSame(one, shared.share("demo/360p", 7, new byte[] {1, 2, 3}));
    byte[] otherSequence = {1, 2, 3};
    assertSame(otherSequence, shared.share("demo/360p", 8, otherSequence), "another segment's key");
  }

  @Test
  void withoutAPoolEveryStoreKeepsItsOwn() {
    byte[] data = {1, 2, 3};
    byte[] copy = {1, 2, 3};
    assertSame(data, SharedSegments.NONE.share("demo/360p", 7, data));
    assertSame(copy, SharedSegments.NONE.share("demo/360p", 7, copy));
  }
}
