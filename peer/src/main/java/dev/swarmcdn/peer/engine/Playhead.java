package dev.swarmcdn.peer.engine;

/**
 * Where the player is: what the engine asks of the media element in a browser. Media times are on
 * the timeline of the playlist follower that feeds the engine (a segment's {@code start}).
 */
public interface Playhead {

  /** Playback has started (a frame can be shown); before that every segment is urgent. */
  boolean started();

  /** The media time being played, in seconds. */
  double currentTime();

  /** Seconds of media held contiguously ahead of the playhead, up to {@code until} (a media time). */
  double bufferAhead(double until);

  /** 1 at normal speed. */
  default double playbackRate() {
    return 1;
  }
}
