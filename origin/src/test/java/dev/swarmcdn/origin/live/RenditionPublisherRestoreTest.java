package dev.swarmcdn.origin.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.origin.integrity.IntegrityKeys;
import dev.swarmcdn.origin.integrity.ManifestSigner;
import dev.swarmcdn.origin.integrity.MediaPlaylist;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new publisher on the folder of an earlier one, as after an origin restart or crash: the state file
 * is whatever the earlier one last wrote, and the packager's files are as it left them. ffmpeg's part is
 * played by hand-written playlists and segments of random bytes.
 */
class RenditionPublisherRestoreTest {

  private static final int WINDOW = 3;

  @TempDir Path tmp;
  private Path dir;
  private ManifestSigner signer;
  private final Random random = new Random(16);

  @BeforeEach
  void keys() throws IOException {
    dir = Files.createDirectories(tmp.resolve("live/t/90p"));
    signer = new ManifestSigner(IntegrityKeys.loadOrCreate(tmp.resolve("key.pk8")));
  }

  private RenditionPublisher publisher() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    return new RenditionPublisher("90p", dir, new RenditionPublisher.Settings("/live/t/90p/index.m3u8",
        WINDOW, 2_000, 1, "public, max-age=1", Counter.builder("p").register(registry),
        Timer.builder("h").register(registry), new AtomicInteger()), signer);
  }

  /** What ffmpeg writes in epoch {@code epoch}: its init, {@code count} segments and its playlist. */
  private void packager(int epoch, int count) throws IOException {
    String init = PackagerCommand.initPrefix(epoch) + "90p.mp4";
    if (!Files.exists(dir.resolve(init))) {
      Files.write(dir.resolve(init), bytes(700));
    }
    StringBuilder playlist = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:1\n"
        + "#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-MAP:URI=\"" + init + "\"\n");
    for (int i = 0; i < count; i++) {
      String segment = segment(epoch, i);
      if (!Files.exists(dir.resolve(segment))) {
        Files.write(dir.resolve(segment), bytes(5_000 + i));
      }
      playlist.append("#EXTINF:1.000000,\n").append(segment).append('\n');
    }
    Files.writeString(dir.resolve(PackagerCommand.playlistName(epoch)), playlist);
  }

  private static String segment(int epoch, int index) {
    return PackagerCommand.segmentPrefix(epoch) + String.format("%05d.m4s", index);
  }

  private byte[] bytes(int n) {
    byte[] bytes = new byte[n];
    random.nextBytes(bytes);
    return bytes;
  }

  private static MediaPlaylist playlist(RenditionPublisher publisher) {
    return MediaPlaylist.parse(text(publisher));
  }

  private static String text(RenditionPublisher publisher) {
    Buffer body = publisher.published().playlist().bytes();
    assertNotNull(body, "an in-memory playlist");
    return body.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aRestartGoesOnWithTheOldWindowThenADiscontinuityAndTheNewEpochsMap() throws Exception {
    RenditionPublisher first = publisher();
    first.restore(0, 1_000);
    packager(1, 5);
    first.poll(1, 1_000);
    assertEquals(2, first.published().mediaSequence());
    String before = text(first);

    // The crash: ffmpeg had begun a sixth segment, unlisted; nothing of the origin ran at its end.
    Files.write(dir.resolve(segment(1, 5)), bytes(100));
    RenditionPublisher second = publisher();
    second.restore(1, 1_500);
    assertEquals(before, text(second), "the old window, published again as it was");
    assertFalse(Files.exists(dir.resolve(segment(1, 5))), "an unpublished segment of the dead run goes");
    assertFalse(Files.exists(dir.resolve(PackagerCommand.playlistName(1))), "and the dead run's own playlist");
    assertTrue(Files.exists(dir.resolve(segment(1, 4))));

    packager(2, 1);
    second.poll(2, 2_000);
    String spanning = text(second);
    assertTrue(spanning.contains("#EXT-X-MEDIA-SEQUENCE:3\n#EXT-X-DISCONTINUITY-SEQUENCE:0\n"), spanning);
    assertTrue(spanning.endsWith("seg_e1_00004.m4s\n#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI=\"init_e2_90p.mp4\"\n"
        + "#EXTINF:1.000000,\nseg_e2_00000.m4s\n"), spanning);

    packager(2, 3);
    second.poll(2, 2_500);
    assertEquals(5, second.published().mediaSequence(), "seg_e2_00000 is number 5, right after seg_e1_00004");
    assertEquals(1, second.published().discontinuitySequence());
    assertEquals(List.of("seg_e2_00000.m4s", "seg_e2_00001.m4s", "seg_e2_00002.m4s"),
        playlist(second).segments().stream().map(MediaPlaylist.Segment::uri).toList());
  }

  @Test
  void aStateFoundAfterTheRestartIsTheLastOneWrittenAndAgainAfterASecondRestart() throws Exception {
    RenditionPublisher first = publisher();
    first.restore(0, 1_000);
    packager(1, 4);
    first.poll(1, 1_000);
    RenditionPublisher second = publisher();
    second.restore(1, 2_000);
    packager(2, 2);
    second.poll(2, 2_000);
    RenditionPublisher third = publisher();
    third.restore(2, 3_000);
    packager(3, 1);
    third.poll(3, 3_000);
    // 4 + 2 + 1 segments numbered 0..6; two epoch changes, the first one out of the window by now.
    MediaPlaylist listed = playlist(third);
    assertEquals(4, listed.mediaSequence());
    assertEquals(List.of("seg_e2_00000.m4s", "seg_e2_00001.m4s", "seg_e3_00000.m4s"),
        listed.segments().stream().map(MediaPlaylist.Segment::uri).toList());
    assertEquals(1, third.published().discontinuitySequence());
    assertTrue(text(third).contains("seg_e2_00001.m4s\n#EXT-X-DISCONTINUITY\n"), text(third));
  }

  @Test
  void aWindowFileThatIsGoneOrDifferentEndsTheRestoredWindowButNotTheNumbering() throws Exception {
    RenditionPublisher first = publisher();
    first.restore(0, 1_000);
    packager(1, 6);
    first.poll(1, 1_000);
    assertEquals(3, first.published().mediaSequence());
    // Of the window 3, 4, 5: 4 is damaged, so only 5 can still be listed.
    Files.write(dir.resolve(segment(1, 4)), bytes(5_004));

    RenditionPublisher second = publisher();
    second.restore(1, 1_500);
    assertEquals(5, second.published().mediaSequence());
    assertEquals(List.of("seg_e1_00005.m4s"),
        playlist(second).segments().stream().map(MediaPlaylist.Segment::uri).toList());
    assertFalse(Files.exists(dir.resolve(segment(1, 4))), "never served with other bytes than the manifest said");

    // And with every file gone: the numbers still go on, after a discontinuity.
    Files.delete(dir.resolve(segment(1, 5)));
    RenditionPublisher third = publisher();
    third.restore(1, 2_000);
    assertFalse(third.published().hasSegments());
    packager(2, 1);
    third.poll(2, 2_000);
    assertEquals(6, third.published().mediaSequence());
    assertEquals(1, third.published().discontinuitySequence());
  }

  @Test
  void anUnreadableStateNeverSendsTheNumbersBack() throws Exception {
    RenditionPublisher first = publisher();
    first.restore(0, 1_000);
    packager(1, 4);
    first.poll(1, 1_000);
    Files.writeString(dir.resolve(PublishedState.FILE_NAME), "{\"version\":1,\"nextSeq");

    long now = 1_770_000_000_000L;
    RenditionPublisher second = publisher();
    second.restore(1, now);
    assertFalse(second.published().hasSegments(), "an unknown window is not published");
    assertFalse(Files.exists(dir.resolve(segment(1, 3))));
    packager(2, 1);
    second.poll(2, now);
    assertEquals(now / 1000, second.published().mediaSequence(), "from the clock, with 1-second segments");
    assertTrue(second.published().discontinuitySequence() > 0);
  }

  @Test
  void withoutAStateNumberingStartsAtZeroInACleanFolder() throws Exception {
    packager(4, 2);
    RenditionPublisher publisher = publisher();
    publisher.restore(4, 1_000);
    try (var files = Files.list(dir)) {
      assertEquals(List.of(), files.toList());
    }
    packager(5, 1);
    publisher.poll(5, 1_000);
    assertEquals(0, publisher.published().mediaSequence());
    assertEquals(0, publisher.published().discontinuitySequence());
    assertTrue(Files.exists(dir.resolve(PublishedState.FILE_NAME)));
  }

  @Test
  void theEpochsTheStateNamesAreNeverStartedAgain() throws Exception {
    RenditionPublisher first = publisher();
    first.restore(0, 1_000);
    packager(3, 2);
    first.poll(3, 1_000);
    // The stream's epoch file was lost: it knows of no epoch, the state of epoch 3.
    RenditionPublisher second = publisher();
    assertEquals(3, second.restore(0, 2_000));
    second.readAfter(3);
    assertTrue(Files.exists(dir.resolve(segment(3, 1))));
    packager(4, 1);
    second.poll(4, 2_000);
    assertTrue(text(second).contains("seg_e3_00001.m4s\n#EXT-X-DISCONTINUITY\n"), text(second));
    assertEquals(2L, LivePlaylists.numbers(text(second)).get("seg_e4_00000.m4s"));
  }
}
