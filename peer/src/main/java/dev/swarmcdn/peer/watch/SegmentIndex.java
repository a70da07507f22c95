package dev.swarmcdn.peer.watch;

import dev.swarmcdn.peer.engine.MediaPlaylist;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The media segments of the played rendition by upstream URL, from every playlist the virtual player
 * loaded: the local player may ask for a segment the live window just moved past, which the engine
 * may still hold. Bounded (the oldest forgotten). Confined to the engine's thread.
 */
final class SegmentIndex {
  static final int MAX_ENTRIES = 512;

  /** A segment and the playlist that listed it (what the engine needs for its reference). */
  record Listed(MediaPlaylist playlist, MediaPlaylist.Segment segment) {
  }

  private final Map<String, Listed> byUrl = new LinkedHashMap<>(64, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Listed> eldest) {
      return size() > MAX_ENTRIES;
    }
  };
  private MediaPlaylist indexed;

  /** Takes in the playlist the player holds now (cheap when it is the one already taken). */
  void update(MediaPlaylist playlist) {
    if (playlist == null || playlist == indexed) {
      return;
    }
    indexed = playlist;
    for (MediaPlaylist.Segment segment : playlist.segments()) {
      byUrl.remove(segment.url());
      byUrl.put(segment.url(), new Listed(playlist, segment));
    }
  }

  /** The segment at {@code url}, or null when the played rendition never listed it. */
  Listed find(String url) {
    return byUrl.get(url);
  }
}
