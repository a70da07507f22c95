package dev.swarmcdn.origin.integrity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.swarmcdn.protocol.integrity.ManifestEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Sha256Test {

  @TempDir
  Path tmp;

  @Test
  void streamedFileHashEqualsHashOfTheBytes() throws Exception {
    for (int size : new int[] {0, 1, 64 * 1024, 200_003}) {
      byte[] bytes = new byte[size];
      new Random(size).nextBytes(bytes);
      Path file = Files.write(tmp.resolve("f" + size), bytes);
      ManifestEntry entry = Sha256.entry(file, "f" + size);
      assertEquals(size, entry.size());
      assertEquals(Sha256.hex(bytes), entry.sha256(), "size " + size);
    }
    assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Sha256.hex(new byte[0]));
  }
}
