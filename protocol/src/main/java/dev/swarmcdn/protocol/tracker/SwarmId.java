package dev.swarmcdn.protocol.tracker;

/**
 * One swarm: the viewers of one rendition of one stream. Peers of different renditions cannot
 * trade segments, so each rendition is a swarm of its own. On the wire the two parts travel as the
 * fields {@code swarm} and {@code rendition}.
 *
 * @param stream     the stream id (e.g. {@code demo}), 1 to 128 printable ASCII characters
 * @param rendition  the rendition name (e.g. {@code 360p}), same rule
 */
public record SwarmId(String stream, String rendition) {

  public SwarmId {
    WireRules.printable("swarm", stream, WireRules.MAX_ID_LENGTH);
    WireRules.printable("rendition", rendition, WireRules.MAX_ID_LENGTH);
  }

  @Override
  public String toString() {
    return stream + "/" + rendition;
  }
}
