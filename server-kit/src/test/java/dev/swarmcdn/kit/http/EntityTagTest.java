package dev.swarmcdn.kit.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EntityTagTest {

  @Test
  void parsesStrongAndWeakTags() {
    assertEquals(Optional.of(new EntityTag("abc", false)), EntityTag.parse("\"abc\""));
    assertEquals(Optional.of(new EntityTag("abc", true)), EntityTag.parse("W/\"abc\""));
    assertEquals(Optional.of(new EntityTag("", false)), EntityTag.parse("\"\""));
  }

  @Test
  void parsesListsWithWhitespaceEmptyElementsAndCommasInsideTags() {
    assertEquals(Optional.of(List.of(new EntityTag("a", false), new EntityTag("b,c", true),
            new EntityTag("d", false))),
        EntityTag.parseList(" \"a\" ,W/\"b,c\",, \t\"d\" ,"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "abc", "\"abc", "w/\"abc\"", "W/abc", "\"a\" \"b\"", "\"a\"b",
      "\"a b\"", "\"a\"\"b\"", "*"})
  void refusesMalformedLists(String value) {
    assertTrue(EntityTag.parseList(value).isEmpty(), value);
  }

  @Test
  void parseWantsExactlyOneTag() {
    assertTrue(EntityTag.parse("\"a\", \"b\"").isEmpty());
    assertTrue(EntityTag.parse(null).isEmpty());
  }

  @Test
  void comparesAsTheRfcTable() {
    // RFC 9110 section 8.8.3.2, the four example pairs.
    EntityTag weak1 = new EntityTag("1", true);
    EntityTag weak2 = new EntityTag("2", true);
    EntityTag strong1 = new EntityTag("1", false);
    assertFalse(weak1.strongMatch(weak1));
    assertTrue(weak1.weakMatch(weak1));
    assertFalse(weak1.strongMatch(weak2));
    assertFalse(weak1.weakMatch(weak2));
    assertFalse(weak1.strongMatch(strong1));
    assertTrue(weak1.weakMatch(strong1));
    assertTrue(strong1.strongMatch(strong1));
    assertTrue(strong1.weakMatch(strong1));
  }

  @Test
  void printsAsSent() {
    assertEquals("W/\"x\"", new EntityTag("x", true).toString());
    assertEquals("\"x\"", new EntityTag("x", false).toString());
  }
}
