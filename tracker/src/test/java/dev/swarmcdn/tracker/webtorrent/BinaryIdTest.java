package dev.swarmcdn.tracker.webtorrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BinaryIdTest {

  @Test
  void hexIsTheBytesReadAsIso88591() {
    byte[] bytes = new byte[20];
    for (int i = 0; i < 20; i++) {
      bytes[i] = (byte) (i * 13 + 0x70);
    }
    BinaryId id = new BinaryId(new String(bytes, StandardCharsets.ISO_8859_1));
    assertEquals("707d8a97a4b1becbd8e5f2ff0c192633404d5a67", id.hex());
  }

  @Test
  void onlyTwentyCharactersUpToU00ffAreIds() {
    assertTrue(BinaryId.isValid("\u0000".repeat(20)));
    assertTrue(BinaryId.isValid("\u00ff".repeat(20)));
    assertFalse(BinaryId.isValid("\u0100" + "a".repeat(19)));
    assertFalse(BinaryId.isValid("a".repeat(19)));
    assertFalse(BinaryId.isValid("a".repeat(21)));
    assertFalse(BinaryId.isValid("0123456789abcdef0123456789abcdef01234567"));
    assertFalse(BinaryId.isValid(null));
    assertThrows(IllegalArgumentException.class, () -> new BinaryId("short"));
  }
}
