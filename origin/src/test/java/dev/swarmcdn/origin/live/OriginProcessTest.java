package dev.swarmcdn.origin.live;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The origin as a real process, ended the ways an operating system ends processes: its ffmpeg must
 * not outlive it, whichever way it ended.
 */
class OriginProcessTest {

  private static final String PLAYLIST = "/live/t/90p/index.m3u8";
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
}
