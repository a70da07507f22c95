package dev.swarmcdn.origin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Real media for origin tests, made by the installed ffmpeg: small enough to generate in a fraction
 * of a second, real enough that players and parsers accept it.
 */
public final class TestMedia {

  /** ffmpeg's whole run for a 2-second clip takes well under a second here; this only stops a hang. */
  private static final long FFMPEG_TIMEOUT_SECONDS = 60;

  private TestMedia() {}

  /**
   * An on-demand fMP4 HLS clip as ffmpeg writes it: {@code index.m3u8}, {@code init.mp4} and
   * {@code seg_NNN.m4s} in one folder.
   *
   * @param dir      the clip's folder
   * @param playlist the media playlist
   * @param init     the init segment
   * @param segments the media segments in playlist order
   */
  public record VodClip(Path dir, Path playlist, Path init, List<Path> segments) {
    public VodClip {
      segments = List.copyOf(segments);
    }
  }

  /**
   * Writes a 2-second, 160x90 clip with a tone, cut into 1-second segments, to {@code parent/name}.
   *
   * @throws IllegalStateException when ffmpeg fails, with its error output
   */
  public static VodClip vodClip(Path parent, String name) throws IOException, InterruptedException {
    Path dir = Files.createDirectories(parent.resolve(name));
    // ffmpeg writes the init segment relative to its working directory: run it inside the folder.
    // With -loglevel error its output stays far below a pipe's buffer, so it is read after exit.
    Process ffmpeg = new ProcessBuilder("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", "testsrc2=size=160x90:rate=15",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
        "-t", "2",
        "-c:v", "libx264", "-preset", "ultrafast", "-g", "15", "-keyint_min", "15", "-sc_threshold", "0",
        "-c:a", "aac", "-b:a", "32k",
        "-f", "hls", "-hls_time", "1", "-hls_playlist_type", "vod", "-hls_segment_type", "fmp4",
        "-hls_fmp4_init_filename", "init.mp4", "-hls_segment_filename", "seg_%03d.m4s",
        "index.m3u8")
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .start();
    if (!ffmpeg.waitFor(FFMPEG_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      ffmpeg.destroyForcibly();
      throw new IllegalStateException("ffmpeg did not finish within " + FFMPEG_TIMEOUT_SECONDS + " s");
    }
    String output = new String(ffmpeg.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (ffmpeg.exitValue() != 0) {
      throw new IllegalStateException("ffmpeg failed (" + ffmpeg.exitValue() + "): " + output);
    }
    List<Path> segments = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.filter(f -> f.getFileName().toString().endsWith(".m4s")).sorted().forEach(segments::add);
    }
    if (segments.isEmpty()) {
      throw new IllegalStateException("ffmpeg wrote no segments: " + output);
    }
    return new VodClip(dir, dir.resolve("index.m3u8"), dir.resolve("init.mp4"), segments);
  }

  /** A plain media file, as an operator would package it: a test picture, and a tone if {@code sound}. */
  public static Path sourceFile(Path file, int seconds, boolean sound) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25"));
    if (sound) {
      command.addAll(List.of("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-c:a", "aac"));
    }
    command.addAll(List.of("-t", Integer.toString(seconds), "-c:v", "libx264", "-preset", "ultrafast", file.toString()));
    Process ffmpeg = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!ffmpeg.waitFor(FFMPEG_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      ffmpeg.destroyForcibly();
      throw new IllegalStateException("ffmpeg did not finish within " + FFMPEG_TIMEOUT_SECONDS + " s");
    }
    if (ffmpeg.exitValue() != 0) {
      throw new IllegalStateException("ffmpeg failed: " + new String(ffmpeg.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
    return file;
  }
}
