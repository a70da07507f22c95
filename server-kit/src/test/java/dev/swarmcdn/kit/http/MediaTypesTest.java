package dev.swarmcdn.kit.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MediaTypesTest {

  @ParameterizedTest
  @CsvSource({
      "index.m3u8,            application/vnd.apple.mpegurl",
      "clip/360p/INDEX.M3U8,  application/vnd.apple.mpegurl",
      "seg_001.m4s,           video/iso.segment",
      "init.mp4,              video/mp4",
      "seg_001.ts,            video/mp2t",
      "audio.aac,             audio/aac",
      "subs_en.vtt,           text/vtt",
      "index.integrity.json,  application/json",
      "page.html,             application/octet-stream",
      "README,                application/octet-stream",
      "dir.m3u8/file,         application/octet-stream",
      "trailing.,             application/octet-stream",
  })
  void mapsExtensions(String name, String type) {
    assertEquals(type, MediaTypes.forName(name));
  }
}
