package dev.swarmcdn.origin.vod;

import static dev.swarmcdn.origin.media.MediaPath.Refusal.MALFORMED;
import static dev.swarmcdn.origin.media.MediaPath.Refusal.NOT_FOUND;
import static dev.swarmcdn.origin.media.MediaPath.Refusal.OUTSIDE_ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.origin.media.MediaPath;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** MediaPath alone, with the already-decoded paths the router hands it. */
class MediaPathTest {

  @TempDir
  Path tempDir;

  private Path root;
  private MediaPath media;

  @BeforeEach
  void createRoot() throws Exception {
    root = Files.createDirectories(tempDir.resolve("media"));
    Files.createDirectories(root.resolve("clip"));
    Files.writeString(root.resolve("clip/index.m3u8"), "#EXTM3U\n");
    Files.writeString(tempDir.resolve("secret.txt"), "secret");
    media = new MediaPath(root);
  }

  @Test
  void resolvesARegularFileToItsRealPath() throws Exception {
    MediaPath.Resolution resolution = media.resolve("clip/index.m3u8");
    assertTrue(resolution.ok());
    assertEquals(root.resolve("clip/index.m3u8").toRealPath(), resolution.file());
  }

  @ParameterizedTest
  @ValueSource(strings = {"../secret.txt", "clip/../../secret.txt", "./clip/index.m3u8", "clip//index.m3u8",
      "/etc/passwd", "..\\secret.txt", "clip/index.m3u8\u0000.txt", "clip/index\n.m3u8", "%2e%2e/secret.txt",
      "clip/%2e%2e/%2e%2e/secret.txt"})
  void refusesMalformedPaths(String relative) {
    assertEquals(MALFORMED, media.resolve(relative).refusal(), relative);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "/", "clip", "clip/", "clip/missing.m4s", "nothing/index.m3u8"})
  void foldersAndMissingFilesAreNotFound(String relative) {
    assertEquals(NOT_FOUND, media.resolve(relative).refusal(), relative);
  }

  @Test
  void linksOutOfTheRootAreOutsideAndLinksWithinAreFollowed() throws Exception {
    Files.createSymbolicLink(root.resolve("out.m3u8"), tempDir.resolve("secret.txt"));
    Files.createSymbolicLink(root.resolve("outdir"), tempDir);
    Files.createSymbolicLink(root.resolve("in.m3u8"), root.resolve("clip/index.m3u8"));
    assertEquals(OUTSIDE_ROOT, media.resolve("out.m3u8").refusal());
    assertEquals(OUTSIDE_ROOT, media.resolve("outdir/secret.txt").refusal());
    assertTrue(media.resolve("in.m3u8").ok());
  }

  @Test
  void aRootReachedThroughALinkStillWorks() throws Exception {
    Path linkedRoot = Files.createSymbolicLink(tempDir.resolve("linked-media"), root);
    assertTrue(new MediaPath(linkedRoot).resolve("clip/index.m3u8").ok());
  }

  @Test
  void aRootCreatedAfterStartIsFound() throws Exception {
    MediaPath later = new MediaPath(tempDir.resolve("later"));
    assertEquals(NOT_FOUND, later.resolve("a.m3u8").refusal());
    Files.createDirectories(tempDir.resolve("later"));
    Files.writeString(tempDir.resolve("later/a.m3u8"), "#EXTM3U\n");
    assertTrue(later.resolve("a.m3u8").ok());
  }
}
