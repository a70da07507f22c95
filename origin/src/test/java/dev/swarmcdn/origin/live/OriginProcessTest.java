package dev.swarmcdn.origin.live;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The origin as a real process, ended the ways an operating system ends processes: its ffmpeg must
 * not outlive it, and the next origin on the same folder goes on with the live numbering, whichever
 * way it ended.
 */
class OriginProcessTest {

  private static final String PLAYLIST = "/live/t/90p/index.m3u8";
  private static final int WINDOW = 4;
  /** A child killed by its parent-death signal is gone at once; this only absorbs a busy machine. */
  private static final Duration GONE_BOUND = Duration.ofSeconds(10);

  @TempDir Path tmp;

  @Test
  void ffmpegEndsWhenItsOriginIsKilledWithSigkill() throws Exception {
    try (OriginProcess origin = OriginProcess.start(tmp.resolve("data"), tmp.resolve("run1.log"), 6)) {
      long ffmpeg = origin.awaitFfmpegPid();
      await().atMost(OriginProcess.START_BOUND).pollInterval(Duration.ofMillis(200))
          .until(() -> origin.get(PLAYLIST).statusCode() == 200);
      origin.kill9();
      try {
        await("ffmpeg pid " + ffmpeg + " ends with its killed origin")
            .atMost(GONE_BOUND).pollInterval(Duration.ofMillis(50))
            .until(() -> !OriginProcess.running(ffmpeg));
      } finally {
        // An orphan of a failed run must not keep encoding on this machine.
        ProcessHandle.of(ffmpeg).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }

  @Test
  void anFfmpegLeftBehindByAnEarlierRunIsEndedAtStart() throws Exception {
    // What an origin without a parent-death signal leaves: a process writing into the stream folder.
    // Its stand-in only sleeps, under the output argument that names the folder.
    Path data = tmp.resolve("data");
    String output = data.toAbsolutePath().resolve("live/t") + "/%v/packager_e1.m3u8";
    Process orphan = new ProcessBuilder("sh", "-c", "sleep 600; true", output).start();
    try (OriginProcess origin = OriginProcess.start(data, tmp.resolve("run1.log"), 6)) {
      await("the leftover ends").atMost(GONE_BOUND).pollInterval(Duration.ofMillis(50))
          .until(() -> !orphan.isAlive());
      assertTrue(origin.output().contains("of an earlier origin run still writes into"), origin.output());
    } finally {
      orphan.destroyForcibly();
    }
  }

  @Test
  void ffmpegEndsWhenItsOriginIsTerminated() throws Exception {
    try (OriginProcess origin = OriginProcess.start(tmp.resolve("data"), tmp.resolve("run1.log"), 6)) {
      long ffmpeg = origin.awaitFfmpegPid();
      origin.terminate();
      assertFalse(OriginProcess.running(ffmpeg), "the shutdown hook stops ffmpeg before the JVM exits");
      assertTrue(origin.output().contains("origin listening on"));
    }
  }

  @Test
  void afterAKillTheNextOriginGoesOnWithTheLiveNumbering() throws Exception {
    restartGoesOn(true);
  }

  @Test
  void afterASigtermTheNextOriginGoesOnWithTheLiveNumbering() throws Exception {
    restartGoesOn(false);
  }

  /**
   * Issue 16: after a restart of the origin the media sequence went back to 0 (seg_e2_00000 at
   * MEDIA-SEQUENCE 0, discontinuity sequence 0). Now the second run lists the first run's window
   * under the same numbers, then the new epoch from the next number on, after a discontinuity.
   *
   * @param kill SIGKILL (the state on disk is whatever the killed run last wrote) or SIGTERM
   */
  private void restartGoesOn(boolean kill) throws Exception {
    Path data = tmp.resolve("data");
    String before;
    String newestBefore;
    byte[] bytesBefore;
    long ffmpeg;
    try (OriginProcess first = OriginProcess.start(data, tmp.resolve("run1.log"), WINDOW)) {
      ffmpeg = first.awaitFfmpegPid();
      // A window that slid: numbers above 0, so a return to 0 cannot pass for a continuation.
      await().atMost(OriginProcess.START_BOUND).pollInterval(Duration.ofMillis(200)).until(() ->
          first.get(PLAYLIST).statusCode() == 200 && LivePlaylists.numbers(first.text(PLAYLIST)).size() == WINDOW
              && first.text(PLAYLIST).contains("#EXT-X-MEDIA-SEQUENCE:1\n"));
      before = first.text(PLAYLIST);
      newestBefore = LivePlaylists.numbers(before).keySet().stream().reduce((a, b) -> b).orElseThrow();
      bytesBefore = first.get("/live/t/90p/" + newestBefore).body();
      if (kill) {
        first.kill9();
      } else {
        first.terminate();
      }
    }
    try {
      await().atMost(GONE_BOUND).pollInterval(Duration.ofMillis(50)).until(() -> !OriginProcess.running(ffmpeg));
    } finally {
      ProcessHandle.of(ffmpeg).ifPresent(ProcessHandle::destroyForcibly);
    }

    try (OriginProcess second = OriginProcess.start(data, tmp.resolve("run2.log"), WINDOW)) {
      AtomicReference<String> spanning = new AtomicReference<>();
      await().atMost(OriginProcess.START_BOUND).pollInterval(Duration.ofMillis(100)).until(() -> {
        spanning.set(second.text(PLAYLIST));
        return spanning.get().contains("seg_e2_");
      });
      String after = spanning.get();
      Map<String, Long> old = LivePlaylists.numbers(before);
      Map<String, Long> now = LivePlaylists.numbers(after);
      assertTrue(now.keySet().stream().anyMatch(old::containsKey), "the old window is still listed:\n" + after);
      now.forEach((uri, number) -> {
        if (old.containsKey(uri)) {
          assertEquals(old.get(uri), number, "the same number for the same file " + uri);
        }
      });
      long lastOld = LivePlaylists.lastNumberNotOf(now, "seg_e2_");
      assertTrue(lastOld >= LivePlaylists.lastNumberNotOf(old, "seg_e2_"), after);
      assertEquals(lastOld + 1, now.get("seg_e2_00000.m4s"), "the new epoch goes on with the next number:\n" + after);
      assertTrue(after.contains("#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI=\"init_e2_90p.mp4\"\n"), after);
      assertEquals(LivePlaylists.lastDiscontinuitySequence(before) + 1, LivePlaylists.lastDiscontinuitySequence(after),
          after);
      // The old files are still served, with the bytes their numbers named before.
      assertArrayEquals(bytesBefore, second.get("/live/t/90p/" + newestBefore).body(), newestBefore);
    }
  }
}
