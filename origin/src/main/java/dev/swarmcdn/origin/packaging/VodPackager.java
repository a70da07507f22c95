package dev.swarmcdn.origin.packaging;

import dev.swarmcdn.origin.Rendition;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Packages one media file into an HLS VOD ladder, as the origin serves it under {@code /vod/NAME/}:
 * fMP4 segments of one GOP each, one folder per rendition, the master playlist the live streams
 * have ({@link MasterPlaylist}); the origin signs the integrity manifests of what it finds there.
 * ffmpeg writes into a hidden folder beside the title, renamed into place when it is whole, so an
 * origin serving the media root never shows half a title. A file without sound gets silence: every
 * rendition carries audio, as the players of the live streams expect.
 */
public final class VodPackager {

  /** What is being packaged, for a progress line: seconds done of the total (NaN if unknown), speed. */
  public record Progress(double doneSeconds, double totalSeconds, String speed) {
    public String line(String name) {
      String done = String.format(java.util.Locale.ROOT, "%.1f", doneSeconds);
      return Double.isNaN(totalSeconds)
          ? "packaging " + name + ": " + done + " s at " + speed
          : String.format(java.util.Locale.ROOT, "packaging %s: %3.0f %% (%s of %.1f s) at %s", name,
              Math.min(100, 100 * doneSeconds / totalSeconds), done, totalSeconds, speed);
    }
  }

  /** @param ffprobe may be null: no duration then, progress in seconds only */
  public record Tools(String ffmpeg, String ffprobe) {
  }

  private final Tools tools;
  private final List<Rendition> ladder;
  private final int fps;
  private final int segmentSeconds;

  public VodPackager(Tools tools, List<Rendition> ladder, int fps, int segmentSeconds) {
    this.tools = tools;
    this.ladder = List.copyOf(ladder);
    this.fps = fps;
    this.segmentSeconds = segmentSeconds;
  }

  /**
   * Packages {@code input} into {@code title} (which must not exist), reporting progress as ffmpeg
   * reports it (about twice a second). Blocking.
   *
   * @throws IOException when ffmpeg fails: its last lines in the message; nothing is left behind
   */
  public void run(Path input, Path title, Consumer<Progress> progress) throws IOException, InterruptedException {
    Path partial = title.resolveSibling("." + title.getFileName() + ".partial");
    deleteTree(partial);
    Files.createDirectories(partial);
    try {
      double total = duration(input);
      List<String> command = command(input, partial, hasAudio(input));
      Process ffmpeg = new ProcessBuilder(command).directory(partial.toFile())
          .redirectError(ProcessBuilder.Redirect.to(partial.resolve("ffmpeg.log").toFile())).start();
      readProgress(ffmpeg, total, progress);
      int exit = ffmpeg.waitFor();
      if (exit != 0) {
        List<String> log = Files.readAllLines(partial.resolve("ffmpeg.log"));
        throw new IOException("ffmpeg exited with " + exit + ": "
            + String.join(" | ", log.subList(Math.max(0, log.size() - 3), log.size())));
      }
      Files.delete(partial.resolve("ffmpeg.log"));
      Files.writeString(partial.resolve("master.m3u8"), MasterPlaylist.render(ladder, fps));
      Files.move(partial, title);
    } finally {
      deleteTree(partial);
    }
  }

  List<String> command(Path input, Path out, boolean audio) {
    List<String> args = new ArrayList<>(List.of(tools.ffmpeg(), "-nostdin", "-hide_banner", "-nostats",
        "-loglevel", "error", "-progress", "pipe:1", "-i", input.toAbsolutePath().toString()));
    String sound = "0:a:0";
    if (!audio) {
      args.addAll(List.of("-f", "lavfi", "-i", "anullsrc=channel_layout=stereo:sample_rate=48000", "-shortest"));
      sound = "1:a";
    }
    // A constant frame rate, whatever the file has: a GOP is exactly one segment.
    args.addAll(LadderEncoding.args(ladder, fps, segmentSeconds, "[0:v:0]fps=" + fps, sound, "medium", null));
    args.addAll(List.of("-f", "hls",
        "-hls_time", Integer.toString(segmentSeconds),
        "-hls_playlist_type", "vod",
        "-hls_segment_type", "fmp4",
        "-hls_flags", "independent_segments",
        "-hls_fmp4_init_filename", "init_" + LadderEncoding.variantName(ladder) + ".mp4",
        "-hls_segment_filename", "%v/seg_%05d.m4s",
        out.toAbsolutePath().resolve("%v").resolve("index.m3u8").toString()));
    return args;
  }

  private static void readProgress(Process ffmpeg, double total, Consumer<Progress> progress) throws IOException {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(ffmpeg.getInputStream(), StandardCharsets.UTF_8))) {
      double done = 0;
      String speed = "?";
      for (String line; (line = lines.readLine()) != null; ) {
        if (line.startsWith("out_time_us=") && line.length() > "out_time_us=".length()) {
          try {
            done = Math.max(done, Long.parseLong(line.substring("out_time_us=".length())) / 1e6);
          } catch (NumberFormatException notYet) {
            // "N/A" before the first frame
          }
        } else if (line.startsWith("speed=")) {
          speed = line.substring("speed=".length()).trim();
        } else if (line.startsWith("progress=")) {
          progress.accept(new Progress(done, total, speed));
        }
      }
    }
  }

  /** The file's duration from ffprobe, NaN when there is no ffprobe or it cannot say. */
  private double duration(Path input) {
    List<String> found = probe(input, "format=duration");
    try {
      return found.isEmpty() ? Double.NaN : Double.parseDouble(found.get(0));
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /** Without ffprobe, sound is assumed: ffmpeg then says clearly if there is none. */
  private boolean hasAudio(Path input) {
    return tools.ffprobe() == null || probe(input, "stream=codec_type").contains("audio");
  }

  /** ffprobe's values of {@code entries}, one a line; none when there is no ffprobe or it failed. */
  private List<String> probe(Path input, String entries) {
    if (tools.ffprobe() == null) {
      return List.of();
    }
    try {
      Process process = new ProcessBuilder(tools.ffprobe(), "-v", "error", "-show_entries", entries, "-of", "csv=p=0",
          input.toAbsolutePath().toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      List<String> values;
      try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        values = out.lines().map(String::trim).filter(line -> !line.isEmpty() && !line.equals("N/A")).toList();
      }
      return process.waitFor() == 0 ? values : List.of();
    } catch (IOException e) {
      return List.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
