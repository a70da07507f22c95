package dev.swarmcdn.edge.forwarding.integrity;

/**
 * Where the origin's signed manifest of a segment is (docs/PROTOCOL.md, "Integrity manifests"): next
 * to the segment, named after the media playlist that lists it ({@code index.integrity.json} for
 * {@code index.m3u8}, the name the origin gives every live rendition and that VOD folders use), and
 * the segment's URI as the playlist writes it, relative to it.
 *
 * @param manifestPath the manifest's URL path
 * @param playlistPath the playlist's URL path, which the manifest's signature binds to
 * @param segmentUri   the segment as the manifest names it
 */
record ManifestLocation(String manifestPath, String playlistPath, String segmentUri) {

  static final String MANIFEST_SUFFIX = ".integrity.json";
  static final String PLAYLIST_SUFFIX = ".m3u8";
  private static final String PLAYLIST_NAME = "index";

  /** For a segment's URL path. */
  static ManifestLocation of(String segmentPath) {
    int slash = segmentPath.lastIndexOf('/');
    String folder = segmentPath.substring(0, slash + 1);
    return new ManifestLocation(folder + PLAYLIST_NAME + MANIFEST_SUFFIX, folder + PLAYLIST_NAME + PLAYLIST_SUFFIX,
        segmentPath.substring(slash + 1));
  }

  /** Whether a path is a manifest's; its playlist's path is then {@link #playlistOf}. */
  static boolean isManifest(String path) {
    return path.endsWith(MANIFEST_SUFFIX);
  }

  /** The path of the playlist a manifest at {@code manifestPath} belongs to. */
  static String playlistOf(String manifestPath) {
    return manifestPath.substring(0, manifestPath.length() - MANIFEST_SUFFIX.length()) + PLAYLIST_SUFFIX;
  }

  /**
   * Whether a path can be a segment that a manifest lists: not a playlist, not a manifest (signed:
   * checked by whoever uses it), not the origin's key document (never taken from another edge).
   */
  static boolean isSegment(String path) {
    return !path.endsWith(PLAYLIST_SUFFIX) && !path.endsWith(MANIFEST_SUFFIX) && !path.endsWith("/")
        && !path.startsWith(OriginKeys.PATH_PREFIX);
  }
}
