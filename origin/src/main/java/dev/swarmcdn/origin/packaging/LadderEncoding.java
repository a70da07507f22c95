package dev.swarmcdn.origin.packaging;

import dev.swarmcdn.origin.Rendition;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * The part of an ffmpeg command line that turns one decoded picture and sound into an ABR ladder
 * of fMP4 HLS renditions: a split/scale filter graph (one decode for all), one x264 per rendition
 * with a GOP of exactly one segment, one AAC per rendition, and the variant map naming each
 * rendition's folder. Shared by the live packager and {@code cdn package}, so that live and on
 * demand encode alike.
 */
public final class LadderEncoding {

  private LadderEncoding() {
  }

  /**
   * @param video   the filter chain of the picture before the split, e.g. {@code [0:v]fps=30}
   * @param audio   the input stream of the sound, e.g. {@code 0:a}
   * @param tune    x264's {@code -tune}, or null: live encodes for latency, VOD for quality
   * @return arguments from {@code -filter_complex} to {@code -var_stream_map}, the HLS muxer's own
   *         options and output left to the caller
   */
  public static List<String> args(List<Rendition> ladder, int fps, int segmentSeconds, String video, String audio,
      String preset, String tune) {
    int gop = fps * segmentSeconds;
    List<String> args = new ArrayList<>();
    StringBuilder graph = new StringBuilder(video).append(",split=").append(ladder.size());
    for (int i = 0; i < ladder.size(); i++) {
      graph.append("[s").append(i).append(']');
    }
    for (int i = 0; i < ladder.size(); i++) {
      Rendition r = ladder.get(i);
      graph.append(";[s").append(i).append("]scale=").append(r.width()).append(':').append(r.height())
          .append(",format=yuv420p[v").append(i).append(']');
    }
    args.addAll(List.of("-filter_complex", graph.toString()));
    for (int i = 0; i < ladder.size(); i++) {
      args.addAll(List.of("-map", "[v" + i + "]"));
    }
    for (int i = 0; i < ladder.size(); i++) {
      args.addAll(List.of("-map", audio));
    }
    args.addAll(List.of("-c:v", "libx264", "-preset", preset));
    if (tune != null) {
      args.addAll(List.of("-tune", tune));
    }
    args.addAll(List.of("-profile:v", "main", "-g", Integer.toString(gop), "-keyint_min", Integer.toString(gop),
        "-sc_threshold", "0"));
    StringJoiner streamMap = new StringJoiner(" ");
    for (int i = 0; i < ladder.size(); i++) {
      Rendition r = ladder.get(i);
      String kbps = r.videoKbps() + "k";
      args.addAll(List.of("-b:v:" + i, kbps, "-maxrate:v:" + i, kbps, "-bufsize:v:" + i, kbps,
          "-level:v:" + i, H264Level.of(r, fps).name()));
      streamMap.add("v:" + i + ",a:" + i + ",name:" + r.name());
    }
    args.addAll(List.of("-c:a", "aac", "-b:a", Rendition.AUDIO_KBPS + "k", "-ac", "2", "-ar", "48000"));
    args.addAll(List.of("-var_stream_map", streamMap.toString()));
    return args;
  }

  /** ffmpeg fills in %v only when there are two variants or more: one gets its name written out. */
  public static String variantName(List<Rendition> ladder) {
    return ladder.size() == 1 ? ladder.get(0).name() : "%v";
  }
}
