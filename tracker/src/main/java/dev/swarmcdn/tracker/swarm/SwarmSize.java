package dev.swarmcdn.tracker.swarm;

/**
 * How many peers a swarm has, and how many of them hold all of the content.
 *
 * @param members  every member, complete or not
 * @param complete the members that are complete (WebTorrent's seeders)
 */
public record SwarmSize(int members, int complete) {

  public static final SwarmSize EMPTY = new SwarmSize(0, 0);

  /** WebTorrent's leechers. */
  public int incomplete() {
    return members - complete;
  }
}
