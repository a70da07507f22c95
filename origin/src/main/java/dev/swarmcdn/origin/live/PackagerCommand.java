package dev.swarmcdn.origin.live;

import dev.swarmcdn.origin.OriginConfig;
import dev.swarmcdn.origin.Rendition;
import dev.swarmcdn.origin.packaging.LadderEncoding;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The ffmpeg command line of one packager run: one process encodes the whole ladder (one decode, a
 * split/scale filter graph, one x264 per rendition) and writes fMP4 HLS for each rendition into
 * {@code NAME/REND/}, with the epoch in every file name so a restart never reuses a name.
 */
final class PackagerCommand {

  static final String TESTSRC = "testsrc";

  private PackagerCommand() {}

  /** ffmpeg's own playlist of one rendition in one epoch: read by the origin, never served. */
  static String playlistName(int epoch) {
    return "packager_e" + epoch + ".m3u8";
  }

  static String initPrefix(int epoch) {
    return "init_e" + epoch + "_";
  }

  static String segmentPrefix(int epoch) {
    return "seg_e" + epoch + "_";
  }

  /**
   * @param streamDir the stream's output folder; ffmpeg must run with it as working directory,
   *                  because it writes the init segment relative to that
   */
  static List<String> build(OriginConfig config, Path streamDir, int epoch) {
    List<Rendition> ladder = config.ladder();
    int fps = config.frameRate();
    Rendition top = ladder.get(0);
    List<String> args = new ArrayList<>(List.of(config.ffmpeg(), "-nostdin", "-hide_banner",
        "-nostats", "-loglevel", "warning"));
    String video;
    String audio;
    if (TESTSRC.equals(config.liveSource())) {
      args.addAll(List.of("-re", "-f", "lavfi", "-i",
          "testsrc2=size=" + top.width() + "x" + top.height() + ":rate=" + fps,
          "-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"));
      // A running clock makes latency and freezes visible at a glance; bottom centre, clear of
      // testsrc2's own counter in the top-left corner.
      video = "[0:v]drawtext=text='%{localtime\\:%T}':fontsize=" + Math.max(12, top.height() / 8)
          + ":fontcolor=white:box=1:boxcolor=black@0.6:x=(w-tw)/2:y=h-th-h/12";
      audio = "1:a";
    } else {
      args.addAll(List.of("-stream_loop", "-1", "-re", "-i", config.liveSource()));
      // The GOP arithmetic below needs a constant frame rate, whatever the file has.
      video = "[0:v]fps=" + fps;
      audio = "0:a";
    }
    args.addAll(LadderEncoding.args(ladder, fps, config.segmentSeconds(), video, audio, "veryfast", "zerolatency"));
    args.addAll(List.of("-f", "hls",
        "-hls_time", Integer.toString(config.segmentSeconds()),
        // ffmpeg's list only has to outlast a slow poll; the origin keeps its own window. No
        // delete_segments: the origin owns retention.
        "-hls_list_size", Integer.toString(Math.max(10, config.windowSegments())),
        "-hls_segment_type", "fmp4",
        "-hls_flags", "independent_segments+program_date_time",
        // ffmpeg fills in %v only when there are two variants or more: one gets its name written out.
        "-hls_fmp4_init_filename", initPrefix(epoch) + LadderEncoding.variantName(ladder) + ".mp4",
        "-hls_segment_filename", "%v/" + segmentPrefix(epoch) + "%05d.m4s",
        streamDir.toAbsolutePath().resolve("%v").resolve(playlistName(epoch)).toString()));
    return List.copyOf(args);
  }
}
