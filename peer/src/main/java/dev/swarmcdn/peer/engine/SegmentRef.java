package dev.swarmcdn.peer.engine;

/**
 * A media segment a job gets.
 *
 * @param swarm        "stream/rendition"
 * @param sequence     its media sequence number
 * @param url          where HTTP gets it
 * @param uri          as the playlist writes it (the integrity manifest's key)
 * @param playlistUrl  the media playlist that lists it
 * @param duration     seconds of media
 * @param bitrate      bytes per second of media
 * @param live         the playlist is live (no ENDLIST)
 */
public record SegmentRef(String swarm, long sequence, String url, String uri, String playlistUrl, double duration,
    double bitrate, boolean live) {

  String key() {
    return swarm + "#" + sequence;
  }
}
