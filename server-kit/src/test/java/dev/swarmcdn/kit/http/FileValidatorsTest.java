package dev.swarmcdn.kit.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileValidatorsTest {

  @Test
  void etagIsStrongHexSizeAndNanos() {
    assertEquals("\"ff-3b9aca01\"", FileValidators.strongEtag(255, 1_000_000_001L));
  }

  @Test
  void etagFollowsSizeAndSubMillisecondMtime(@TempDir Path dir) throws Exception {
    Path file = Files.write(dir.resolve("seg.m4s"), new byte[] {1, 2, 3});
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2024-01-01T00:00:00.000000100Z")));
    String first = etagOf(file);
    assertEquals("\"3-" + Long.toHexString(1704067200_000000100L) + "\"", first);
    assertTrue(EntityTag.parse(first).isPresent());

    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2024-01-01T00:00:00.000000200Z")));
    assertNotEquals(first, etagOf(file));
  }

  @Test
  void representationOfAFileCarriesItsValidators(@TempDir Path dir) throws Exception {
    Path file = Files.write(dir.resolve("a.ts"), new byte[10]);
    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
    Representation representation = Representation.ofFile(file, attributes, "video/mp2t", "x");
    assertEquals(10, representation.length());
    assertEquals(attributes.lastModifiedTime().toMillis(), representation.lastModified());
    assertEquals(FileValidators.strongEtag(attributes), representation.etag());
  }

  private static String etagOf(Path file) throws Exception {
    return FileValidators.strongEtag(Files.readAttributes(file, BasicFileAttributes.class));
  }
}
