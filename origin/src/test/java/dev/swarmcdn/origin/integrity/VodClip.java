package dev.swarmcdn.origin.integrity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A 3-second fMP4 HLS clip (1-second segments, 160x90) made by ffmpeg, for VOD integrity tests. */
final class VodClip {

  private VodClip() {}

  /** Writes {@code index.m3u8}, {@code init.mp4} and {@code seg_NNN.m4s} into {@code dir}. */
  static Path generate(Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Process ffmpeg = new ProcessBuilder("ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error",
        "-f", "lavfi", "-i", "testsrc2=size=160x90:rate=15",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
        "-t", "3", "-c:v", "libx264", "-preset", "ultrafast", "-g", "15", "-c:a", "aac",
        "-f", "hls", "-hls_time", "1", "-hls_playlist_type", "vod", "-hls_segment_type", "fmp4",
        "-hls_fmp4_init_filename", "init.mp4", "-hls_segment_filename", "seg_%03d.m4s", "index.m3u8")
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("ffmpeg.log").toFile())
        .start();
    if (!ffmpeg.waitFor(60, TimeUnit.SECONDS) || ffmpeg.exitValue() != 0) {
      ffmpeg.destroyForcibly();
      throw new IOException("ffmpeg failed: " + Files.readString(dir.resolve("ffmpeg.log")));
    }
    return dir.resolve("index.m3u8");
  }
}
