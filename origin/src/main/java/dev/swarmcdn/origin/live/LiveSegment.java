package dev.swarmcdn.origin.live;

import dev.swarmcdn.protocol.integrity.ManifestEntry;
import java.time.Instant;

/**
 * A media segment the origin has hashed and published. Immutable.
 *
 * @param sequence              its media sequence number, continuous across packager restarts
 * @param epoch                 the packager run that wrote it
 * @param discontinuity         whether an EXT-X-DISCONTINUITY precedes it (first segment of a new epoch)
 * @param discontinuitySequence number of discontinuities up to and including this segment
 * @param initUri               the init segment it needs
 * @param programDateTime       wall-clock time of its first frame, or null if ffmpeg gave none
 * @param entry                 uri, size and SHA-256, as the manifest lists it
 * @param publishedAt           epoch milliseconds of publication, its Last-Modified
 */
record LiveSegment(long sequence, int epoch, double durationSeconds, boolean discontinuity,
    long discontinuitySequence, String initUri, Instant programDateTime, ManifestEntry entry,
    long publishedAt) {

  String uri() {
    return entry.uri();
  }
}
