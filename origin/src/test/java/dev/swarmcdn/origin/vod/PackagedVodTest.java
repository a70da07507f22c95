package dev.swarmcdn.origin.vod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.origin.Rendition;
import dev.swarmcdn.origin.TestMedia;
import dev.swarmcdn.origin.packaging.VodPackager;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cdn package}'s work, then the origin serving it: a media file becomes a VOD ladder the
 * origin lists, serves and signs like any title, with progress on the way; a file that is not
 * media leaves nothing behind.
 */
class PackagedVodTest {

  private static final List<Rendition> LADDER = Rendition.parseLadder("180p:320x180:200,90p:160x90:100");
  private static final VodPackager PACKAGER = new VodPackager(new VodPackager.Tools("ffmpeg", "ffprobe"), LADDER, 25, 2);

  @TempDir Path dir;
  private RunningOrigin origin;

  @BeforeEach
  void start() throws Exception {
    origin = RunningOrigin.start(dir);
  }

  @AfterEach
  void stop() throws Exception {
    origin.close();
  }

  @Test
  void aFileBecomesALadderTheOriginServesAndSigns() throws Exception {
    Path input = TestMedia.sourceFile(dir.resolve("talk.mp4"), 5, true);
    List<VodPackager.Progress> progress = new ArrayList<>();
    PACKAGER.run(input, origin.mediaRoot.resolve("talk"), progress::add);

    VodPackager.Progress last = progress.get(progress.size() - 1);
    assertEquals(5.0, last.totalSeconds(), 0.2, "the duration, from ffprobe");
    assertEquals(5.0, last.doneSeconds(), 0.3, "progress reached the end");
    assertTrue(last.line("talk").startsWith("packaging talk: 100 % ("), last.line("talk"));

    String master = text("/vod/talk/master.m3u8");
    assertTrue(master.contains("RESOLUTION=320x180") && master.contains("180p/index.m3u8")
        && master.contains("90p/index.m3u8") && master.contains("CODECS=\"avc1."), master);
    for (Rendition rendition : LADDER) {
      String playlist = text("/vod/talk/" + rendition.name() + "/index.m3u8");
      assertTrue(playlist.contains("#EXT-X-PLAYLIST-TYPE:VOD") && playlist.contains("#EXT-X-ENDLIST")
          && playlist.contains("#EXT-X-MAP:URI=\"init_" + rendition.name() + ".mp4\""), playlist);
      long segments = playlist.lines().filter(line -> line.endsWith(".m4s")).count();
      assertEquals(3, segments, "5 s in segments of 2 s: " + playlist);
      JsonObject manifest = new JsonObject(text("/vod/talk/" + rendition.name() + "/index.integrity.json"));
      assertEquals(segments, manifest.getJsonArray("segments").size(), manifest.encode());
    }
    try (Stream<Path> left = Files.list(origin.mediaRoot)) {
      assertEquals(List.of(), left.filter(p -> p.getFileName().toString().startsWith(".")).toList(), "no partial folder");
    }
  }

  @Test
  void aFileWithoutSoundGetsSilenceInEveryRendition() throws Exception {
    Path input = TestMedia.sourceFile(dir.resolve("mute.mp4"), 3, false);
    PACKAGER.run(input, origin.mediaRoot.resolve("mute"), p -> { });
    assertTrue(text("/vod/mute/90p/index.m3u8").contains("#EXT-X-ENDLIST"));
    assertEquals(200, origin.send("GET", "/vod/mute/90p/seg_00000.m4s").statusCode());
  }

  @Test
  void aFileThatIsNotMediaFailsAndLeavesNothing() throws Exception {
    Path input = Files.writeString(dir.resolve("notes.txt"), "not a film");
    IOException failure = assertThrows(IOException.class,
        () -> PACKAGER.run(input, origin.mediaRoot.resolve("notes"), p -> { }));
    assertTrue(failure.getMessage().startsWith("ffmpeg exited with"), failure.getMessage());
    assertFalse(Files.exists(origin.mediaRoot.resolve("notes")));
    assertFalse(Files.exists(origin.mediaRoot.resolve(".notes.partial")));
  }

  private String text(String path) throws Exception {
    var response = origin.send("GET", path);
    assertEquals(200, response.statusCode(), path);
    return new String(response.body(), StandardCharsets.UTF_8);
  }
}
