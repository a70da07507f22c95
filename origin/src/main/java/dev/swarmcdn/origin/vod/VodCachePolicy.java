package dev.swarmcdn.origin.vod;

import java.util.Locale;
import java.util.Set;

/**
 * Cache-Control for on-demand files, by name. Segments and init segments of published VOD never
 * change, so caches may keep them for a year without asking again. Playlists are short-lived so that
 * a re-published title reaches viewers within a minute.
 */
final class VodCachePolicy {

  static final String IMMUTABLE = "public, max-age=31536000, immutable";
  static final String PLAYLIST = "public, max-age=60";
  static final String OTHER = "public, max-age=300";

  private static final Set<String> MEDIA_EXTENSIONS = Set.of("m4s", "mp4", "ts", "aac", "vtt");

  private VodCachePolicy() {}

  static String forName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    int dot = lower.lastIndexOf('.');
    String extension = dot < 0 ? "" : lower.substring(dot + 1);
    if (MEDIA_EXTENSIONS.contains(extension)) {
      return IMMUTABLE;
    }
    return extension.equals("m3u8") ? PLAYLIST : OTHER;
  }
}
