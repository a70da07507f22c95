package dev.swarmcdn.origin.integrity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.kit.http.Representation;
import dev.swarmcdn.protocol.integrity.IntegrityManifest;
import dev.swarmcdn.protocol.integrity.IntegrityManifestCodec;
import dev.swarmcdn.protocol.integrity.ManifestEntry;
import dev.swarmcdn.protocol.integrity.ManifestVerifier;
import dev.swarmcdn.protocol.integrity.SegmentVerdict;
import dev.swarmcdn.protocol.integrity.VerifiedManifest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VodIntegrityTest {

  private static final String PATH = "/vod/clip/index.m3u8";

  @TempDir
  static Path tmp;
  static Path playlist;
  static Vertx vertx;
  static IntegrityKeys keys;

  @BeforeAll
  static void setUp() throws Exception {
    playlist = VodClip.generate(tmp.resolve("clip"));
    vertx = Vertx.vertx();
    keys = IntegrityKeys.loadOrCreate(tmp.resolve("keys/key.pk8"));
  }

  @AfterAll
  static void tearDown() {
    vertx.close().await();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static Throwable failure(Future<?> future) {
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> await(future));
    return e.getCause();
  }

  @Test
  void manifestVouchesForEveryFileOfTheClip() throws Exception {
    Representation representation = await(new VodIntegrity(vertx, keys).manifest(playlist, PATH));
    assertEquals("application/json", representation.contentType());
    assertEquals("public, max-age=60", representation.cacheControl());
    assertTrue(representation.etag().matches("\"[0-9a-f]{32}\""), representation.etag());
    assertEquals(Files.getLastModifiedTime(playlist).toMillis(), representation.lastModified());

    IntegrityManifest manifest = IntegrityManifestCodec.decode(representation.bytes().getBytes());
    VerifiedManifest verified = ManifestVerifier.forKeyDocument(keys.publicKey()).verify(manifest, PATH);
    assertEquals(0, verified.content().mediaSequence());
    assertEquals(List.of("init.mp4"), verified.content().inits().stream().map(ManifestEntry::uri).toList());
    List<String> listed = new ArrayList<>();
    for (String line : Files.readAllLines(playlist)) {
      if (!line.startsWith("#") && !line.isBlank()) {
        listed.add(line);
      }
    }
    assertEquals(3, listed.size(), "3 one-second segments");
    assertEquals(listed, verified.content().segments().stream().map(ManifestEntry::uri).toList());
    for (String uri : listed) {
      assertEquals(SegmentVerdict.MATCHES,
          verified.verifySegment(uri, Files.readAllBytes(playlist.resolveSibling(uri))), uri);
    }
    assertEquals(SegmentVerdict.MATCHES,
        verified.verifySegment("init.mp4", Files.readAllBytes(playlist.resolveSibling("init.mp4"))));
  }

  @Test
  void manifestIsComputedOncePerPlaylistVersion() throws Exception {
    Path copy = tmp.resolve("copy");
    Files.createDirectories(copy);
    try (var files = Files.list(playlist.getParent())) {
      for (Path file : files.toList()) {
        Files.copy(file, copy.resolve(file.getFileName()));
      }
    }
    Path copied = copy.resolve("index.m3u8");
    VodIntegrity integrity = new VodIntegrity(vertx, keys);

    List<Future<Representation>> concurrent = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      concurrent.add(integrity.manifest(copied, PATH));
    }
    Representation first = await(concurrent.get(0));
    for (Future<Representation> other : concurrent) {
      assertSame(first, await(other), "concurrent first requests share one computation");
    }
    assertSame(first, await(integrity.manifest(copied, PATH)), "unchanged playlist: cached");

    Files.writeString(copied, "# edited\n", StandardOpenOption.APPEND);
    Representation edited = await(integrity.manifest(copied, PATH));
    assertNotSame(first, edited, "a changed playlist gets a fresh manifest");
    assertFalse(first.etag().equals(edited.etag()) && first.lastModified() == edited.lastModified());
  }

  @Test
  void masterPlaylistHasNoManifest() throws Exception {
    Path master = tmp.resolve("master.m3u8");
    Files.writeString(master, "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=300000\nclip/index.m3u8\n");
    assertInstanceOf(IllegalArgumentException.class,
        failure(new VodIntegrity(vertx, keys).manifest(master, "/vod/master.m3u8")));
  }

  @Test
  void missingPlaylistFailsWithNoSuchFile() {
    assertInstanceOf(NoSuchFileException.class,
        failure(new VodIntegrity(vertx, keys).manifest(tmp.resolve("gone.m3u8"), "/vod/gone.m3u8")));
  }

  @Test
  void segmentUrisMayNotLeaveThePlaylistFolder() throws Exception {
    Path dir = tmp.resolve("escape/inner");
    Files.createDirectories(dir);
    Files.writeString(dir.getParent().resolve("secret.m4s"), "secret");
    Path escaping = dir.resolve("index.m3u8");
    Files.writeString(escaping, "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1.0,\n../secret.m4s\n#EXT-X-ENDLIST\n");
    assertInstanceOf(IllegalArgumentException.class,
        failure(new VodIntegrity(vertx, keys).manifest(escaping, "/vod/escape/inner/index.m3u8")));
  }
}
