package dev.swarmcdn.origin.live;

import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/** Renders the origin's own live media playlist of one rendition from its current window. */
final class LivePlaylistWriter {

  /** Tells our players where the integrity manifest is; other players ignore unknown tags. */
  static final String INTEGRITY_TAG = "#EXT-X-SWARMCDN-INTEGRITY:URI=\"index.integrity.json\"";

  private LivePlaylistWriter() {}

  /**
   * @param window         the segments to list, oldest first; not empty
   * @param targetDuration EXT-X-TARGETDURATION; must never decrease during a stream
   */
  static String render(List<LiveSegment> window, int targetDuration) {
    LiveSegment first = window.get(0);
    StringBuilder text = new StringBuilder(256 + 160 * window.size());
    text.append("#EXTM3U\n")
        .append("#EXT-X-VERSION:7\n")
        .append("#EXT-X-TARGETDURATION:").append(targetDuration).append('\n')
        .append("#EXT-X-MEDIA-SEQUENCE:").append(first.sequence()).append('\n')
        .append("#EXT-X-DISCONTINUITY-SEQUENCE:").append(first.discontinuitySequence()).append('\n')
        .append("#EXT-X-INDEPENDENT-SEGMENTS\n")
        .append(INTEGRITY_TAG).append('\n');
    String init = null;
    for (LiveSegment segment : window) {
      // The first segment's discontinuity is already counted in EXT-X-DISCONTINUITY-SEQUENCE.
      if (segment.discontinuity() && segment != first) {
        text.append("#EXT-X-DISCONTINUITY\n");
      }
      if (!segment.initUri().equals(init)) {
        init = segment.initUri();
        text.append("#EXT-X-MAP:URI=\"").append(init).append("\"\n");
      }
      if (segment.programDateTime() != null) {
        text.append("#EXT-X-PROGRAM-DATE-TIME:")
            .append(DateTimeFormatter.ISO_INSTANT.format(segment.programDateTime().truncatedTo(ChronoUnit.MILLIS)))
            .append('\n');
      }
      text.append("#EXTINF:").append(String.format(Locale.ROOT, "%.6f", segment.durationSeconds())).append(",\n")
          .append(segment.uri()).append('\n');
    }
    return text.toString();
  }
}
