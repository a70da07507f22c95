package dev.swarmcdn.kit.http;

import java.util.Locale;
import java.util.Map;

/**
 * Content types of what a streaming server sends, by file extension. Deliberately a short fixed
 * list instead of a general MIME table: players are strict about HLS types, and anything unexpected
 * goes out as opaque bytes rather than as something a browser might render.
 */
public final class MediaTypes {

  public static final String DEFAULT = "application/octet-stream";

  private static final Map<String, String> BY_EXTENSION = Map.of(
      "m3u8", "application/vnd.apple.mpegurl",
      "m4s", "video/iso.segment",
      "mp4", "video/mp4",
      "ts", "video/mp2t",
      "aac", "audio/aac",
      "vtt", "text/vtt",
      "json", "application/json");

  private MediaTypes() {}

  /** The content type for a file or URL path name; {@link #DEFAULT} when the extension is unknown. */
  public static String forName(String name) {
    int dot = name.lastIndexOf('.');
    if (dot < 0 || dot < name.lastIndexOf('/')) {
      return DEFAULT;
    }
    return BY_EXTENSION.getOrDefault(name.substring(dot + 1).toLowerCase(Locale.ROOT), DEFAULT);
  }
}
