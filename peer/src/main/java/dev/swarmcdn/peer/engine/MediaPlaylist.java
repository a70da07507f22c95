package dev.swarmcdn.peer.engine;

import java.util.List;

/**
 * What the engine needs of a media playlist: what hls.js's level details give the browser engine.
 *
 * @param url       the playlist's URL (the integrity manifest is bound to its path)
 * @param live      no {@code EXT-X-ENDLIST}
 * @param segments  its media segments, in order
 * @param bitrate   bits per second of the rendition ({@code BANDWIDTH}), or 0 when unknown
 */
public record MediaPlaylist(String url, boolean live, List<Segment> segments, double bitrate) {

  public MediaPlaylist {
    segments = List.copyOf(segments);
  }

  /**
   * One media segment.
   *
   * @param sequence  its media sequence number
   * @param start     media time, in seconds, at which it starts (on the follower's timeline)
   * @param duration  seconds
   * @param uri       as the playlist writes it
   * @param url       resolved against the playlist
   */
  public record Segment(long sequence, double start, double duration, String uri, String url) {
  }
}
