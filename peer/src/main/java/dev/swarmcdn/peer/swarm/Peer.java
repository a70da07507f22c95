package dev.swarmcdn.peer.swarm;

import dev.swarmcdn.peer.scheduler.PeerScore;
import dev.swarmcdn.peer.util.Clock;

/**
 * One peer of a {@link PeerPool}: its WebRTC session, its link once the data channel is up, and
 * how it serves us.
 */
public final class Peer {
  private final String id;
  private final boolean initiator;
  /** The tracker listed it as an edge seeder: it takes no viewer's place in the pool. */
  final boolean listedSeeder;
  private final PeerScore score = new PeerScore();
  PeerSession session;
  PeerLink link;
  Clock.Timer connectTimer;

  Peer(String id, boolean initiator, boolean listedSeeder) {
    this.id = id;
    this.initiator = initiator;
    this.listedSeeder = listedSeeder;
  }

  public String id() {
    return id;
  }

  /** We offered the connection (the tracker listed the other peer to us). */
  public boolean initiator() {
    return initiator;
  }

  public PeerScore score() {
    return score;
  }

  /** The link, or null while the data channel is not up. */
  public PeerLink link() {
    return link;
  }

  public boolean ready() {
    return link != null && link.ready();
  }

  /** An edge seeder (its HELLO says so): its bytes are edge bytes, and it is asked only as a rescue. */
  public boolean seeder() {
    return link != null && link.remote() != null && link.remote().seeder();
  }
}
