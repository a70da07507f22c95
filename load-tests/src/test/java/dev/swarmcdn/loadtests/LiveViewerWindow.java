package dev.swarmcdn.loadtests;

import java.util.List;

/**
 * Which segments of a live playlist a viewer fetches after a reload: as a player does, it starts a
 * few segments behind the live edge, then fetches each new segment once. A viewer that fell behind
 * the window skips to its oldest segment (a player would too, or stall for good).
 */
public final class LiveViewerWindow {

  /** hls.js starts this many target durations behind the live edge (its liveSyncDurationCount). */
  public static final int START_BEHIND_EDGE = 3;

  private LiveViewerWindow() {}

  /**
   * @param playlist   the reloaded playlist
   * @param nextWanted the sequence number of the next segment this viewer needs; negative before the first load
   * @return the segments to fetch now, oldest first
   */
  public static List<String> due(HlsPlaylists.Media playlist, long nextWanted) {
    long first = playlist.firstSequence();
    long start = nextWanted < 0
        ? Math.max(first, playlist.nextSequence() - START_BEHIND_EDGE)
        : Math.max(first, nextWanted);
    int from = (int) Math.min(start - first, playlist.segments().size());
    return playlist.segments().subList(from, playlist.segments().size());
  }
}
