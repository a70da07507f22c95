package dev.swarmcdn.protocol.integrity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class IntegrityManifestCodecTest {

  private static final String SHA = "a".repeat(64);

  private static IntegrityManifest decode(String json) {
    return IntegrityManifestCodec.decode(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void vodManifestWithoutInitHasOnlySegmentLines() {
    ManifestContent content = new ManifestContent("/vod/clip/180p/index.m3u8", 0, List.of(),
        List.of(new ManifestEntry("seg_00000.ts", 10, SHA)));
    assertEquals("swarmcdn-integrity/1\n/vod/clip/180p/index.m3u8\n0\nseg seg_00000.ts 10 " + SHA + "\n",
        new String(content.signingInput(), StandardCharsets.US_ASCII));
  }

  @Test
  void refusesWhatWouldMakeTheSigningInputAmbiguous() {
    assertThrows(IllegalArgumentException.class, () -> new ManifestEntry("a b.m4s", 1, SHA));
    assertThrows(IllegalArgumentException.class, () -> new ManifestEntry("a\nseg x 1 " + SHA, 1, SHA));
    assertThrows(IllegalArgumentException.class, () -> new ManifestEntry("a.m4s", 1, SHA.toUpperCase()));
    assertThrows(IllegalArgumentException.class, () -> new ManifestContent("relative/index.m3u8", 0,
        List.of(), List.of()));
    ManifestEntry twice = new ManifestEntry("a.m4s", 1, SHA);
    assertThrows(IllegalArgumentException.class, () -> new ManifestContent("/p.m3u8", 0, List.of(twice),
        List.of(twice)));
  }

  @Test
  void refusesOtherVersionsAndMissingFields() {
    String valid = "{\"version\":1,\"path\":\"/p.m3u8\",\"mediaSequence\":3,\"inits\":[],"
        + "\"segments\":[],\"keyId\":\"0123456789abcdef\",\"signature\":\"AAAA\",\"future\":true}";
    assertEquals(3, decode(valid).content().mediaSequence(), "unknown fields are ignored");
    IllegalArgumentException version = assertThrows(IllegalArgumentException.class,
        () -> decode(valid.replace("\"version\":1", "\"version\":2")));
    assertTrue(version.getMessage().contains("version"));
    assertThrows(IllegalArgumentException.class, () -> decode(valid.replace("\"segments\":[],", "")));
    assertThrows(IllegalArgumentException.class, () -> decode(valid.replace("\"mediaSequence\":3", "\"mediaSequence\":\"3\"")));
    assertThrows(IllegalArgumentException.class, () -> decode("[1]"));
    assertThrows(IllegalArgumentException.class, () -> decode("{"));
  }

  @Test
  void keyDocumentMustMatchItsKey() {
    byte[] key = new byte[32];
    PublicKeyDocument document = PublicKeyDocument.of(key);
    assertEquals(document, PublicKeyDocument.fromJson(document.toJson()));
    String forged = new String(document.toJson(), StandardCharsets.UTF_8)
        .replace(document.keyId(), "0000000000000000");
    assertThrows(IllegalArgumentException.class,
        () -> PublicKeyDocument.fromJson(forged.getBytes(StandardCharsets.UTF_8)));
  }
}
