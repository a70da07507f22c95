package dev.swarmcdn.kit.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteRangeTest {

  @Test
  void parsesTheThreeForms() {
    assertEquals(Optional.of(new ByteRange.Bounded(0, 99)), ByteRange.parse("bytes=0-99"));
    assertEquals(Optional.of(new ByteRange.From(100)), ByteRange.parse("bytes=100-"));
    assertEquals(Optional.of(new ByteRange.Suffix(50)), ByteRange.parse("bytes=-50"));
  }

  @Test
  void unitIsCaseInsensitiveAndWhitespaceAndEmptyElementsAreTolerated() {
    assertEquals(Optional.of(new ByteRange.Bounded(5, 9)), ByteRange.parse("Bytes= 5-9 ,"));
    assertEquals(Optional.of(new ByteRange.Bounded(5, 9)), ByteRange.parse("BYTES=,5-9"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "bytes", "bytes=", "bytes=-", "bytes=a-b", "bytes=1-a", "bytes=--5",
      "bytes=5-1", "bytes=0-1,4-5", "bytes=0-1, 0-1", "items=0-1", "bytes 0-1", "bytes=+1-2",
      "bytes=1 - 2", "bytes=0x10-0x20", "bytes=1-2-3", "bytes=-1-2", "bytes=\u0661-\u0662"})
  void ignoresMalformedMultipleAndForeignRanges(String value) {
    assertTrue(ByteRange.parse(value).isEmpty(), value);
  }

  @Test
  void ignoresAbsentField() {
    assertTrue(ByteRange.parse(null).isEmpty());
  }

  @ParameterizedTest(name = "{0} of {1} -> {2}")
  @CsvSource({
      "bytes=0-0,       10, bytes 0-0/10",
      "bytes=0-9,       10, bytes 0-9/10",
      "bytes=2-5,       10, bytes 2-5/10",
      "bytes=5-1000,    10, bytes 5-9/10",
      "bytes=9-,        10, bytes 9-9/10",
      "bytes=0-,        10, bytes 0-9/10",
      "bytes=-3,        10, bytes 7-9/10",
      "bytes=-10,       10, bytes 0-9/10",
      "bytes=-11,       10, bytes 0-9/10",
      "bytes=-99999999999999999999999, 10, bytes 0-9/10",
      "bytes=3-99999999999999999999999, 10, bytes 3-9/10",
      "bytes=10-,       10, bytes */10",
      "bytes=10-20,     10, bytes */10",
      "bytes=99999999999999999999999-, 10, bytes */10",
      "bytes=-0,        10, bytes */10",
      "bytes=0-0,        0, bytes */0",
      "bytes=-0,         0, bytes */0",
  })
  void resolvesAgainstALength(String header, long length, String contentRange) {
    RangeSelection selection = ByteRange.parse(header).orElseThrow().resolve(length);
    String actual = selection instanceof RangeSelection.Part part ? part.contentRange()
        : ((RangeSelection.Unsatisfiable) selection).contentRange();
    assertEquals(contentRange, actual);
  }

  @Test
  void suffixOfAnEmptyRepresentationIsTheWhole() {
    assertEquals(RangeSelection.WHOLE, new ByteRange.Suffix(5).resolve(0));
  }

  @Test
  void partKnowsItsLengthAndRefusesImpossibleBounds() {
    assertEquals(4, new RangeSelection.Part(2, 5, 10).length());
    assertThrows(IllegalArgumentException.class, () -> new RangeSelection.Part(5, 4, 10));
    assertThrows(IllegalArgumentException.class, () -> new RangeSelection.Part(0, 10, 10));
    assertThrows(IllegalArgumentException.class, () -> new RangeSelection.Part(-1, 2, 10));
  }
}
