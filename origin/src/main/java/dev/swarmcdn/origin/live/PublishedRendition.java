package dev.swarmcdn.origin.live;

import dev.swarmcdn.kit.http.Representation;
import java.util.Map;

/**
 * What one rendition serves right now: playlist, manifest and the files they may refer to, published
 * together as one immutable snapshot so a reader never sees a playlist without its manifest or a
 * listed segment that cannot be fetched.
 *
 * @param playlist the media playlist, or null before the first segment
 * @param manifest the signed manifest of exactly the playlist's window, or null before the first
 * @param files    init and media segments that may be served: the window plus those in their grace
 *                 period after leaving it
 */
record PublishedRendition(long mediaSequence, long discontinuitySequence, int windowSegments,
    Representation playlist, Representation manifest, Map<String, Representation> files) {

  static final PublishedRendition NOTHING_YET = new PublishedRendition(0, 0, 0, null, null, Map.of());

  PublishedRendition {
    files = Map.copyOf(files);
  }

  /** The same playlist and manifest, serving {@code newFiles}. */
  PublishedRendition withFiles(Map<String, Representation> newFiles) {
    return new PublishedRendition(mediaSequence, discontinuitySequence, windowSegments, playlist, manifest, newFiles);
  }

  boolean hasSegments() {
    return windowSegments > 0;
  }
}
