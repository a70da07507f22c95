package dev.swarmcdn.protocol.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class SwarmIdTest {

  @Test
  void internedIdsOfOneSwarmShareTheirStrings() {
    SwarmId decoded = new SwarmId(new String("demo"), new String("360p"));
    SwarmId interned = decoded.interned();
    assertEquals(decoded, interned);
    assertSame("demo", interned.stream());
    assertSame("360p", interned.rendition());
    assertSame(interned, interned.interned(), "an interned id is its own");
  }
}
