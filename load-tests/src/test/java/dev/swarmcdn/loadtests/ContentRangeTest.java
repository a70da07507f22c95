package dev.swarmcdn.loadtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ContentRangeTest {

  @Test
  void aSatisfiedRangeGivesItsBoundsTotalAndLength() {
    ContentRange range = ContentRange.parse("bytes 100-199/222642");
    assertEquals(new ContentRange(100, 199, 222642), range);
    assertEquals(100, range.length());
  }

  @Test
  void unsatisfiedAndImpossibleRangesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> ContentRange.parse("bytes */222642"));
    assertThrows(IllegalArgumentException.class, () -> ContentRange.parse("bytes 200-100/222642"));
    assertThrows(IllegalArgumentException.class, () -> ContentRange.parse("bytes 0-222642/222642"));
  }
}
