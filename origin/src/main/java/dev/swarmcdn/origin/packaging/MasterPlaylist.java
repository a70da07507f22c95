package dev.swarmcdn.origin.packaging;

import dev.swarmcdn.origin.Rendition;
import java.util.List;
import java.util.Locale;

/** The master playlist of a stream, live or on demand, generated from its ladder. */
public final class MasterPlaylist {

  /** AAC-LC, as ffmpeg's native aac encoder writes it. */
  public static final String AAC_LC = "mp4a.40.2";

  private MasterPlaylist() {}

  public static String render(List<Rendition> ladder, int frameRate) {
    StringBuilder text = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n");
    for (Rendition rendition : ladder) {
      text.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(rendition.bandwidth())
          .append(",AVERAGE-BANDWIDTH=").append((rendition.videoKbps() + Rendition.AUDIO_KBPS) * 1000L)
          .append(",RESOLUTION=").append(rendition.width()).append('x').append(rendition.height())
          .append(",CODECS=\"").append(H264Level.of(rendition, frameRate).mainProfileCodec())
          .append(',').append(AAC_LC).append('"')
          .append(",FRAME-RATE=").append(String.format(Locale.ROOT, "%.3f", (double) frameRate))
          .append('\n')
          .append(rendition.name()).append("/index.m3u8\n");
    }
    return text.toString();
  }
}
