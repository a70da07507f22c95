package dev.swarmcdn.protocol.tracker;

import java.util.Objects;

/**
 * One entry of a peer list.
 *
 * @param peerId    the peer to signal
 * @param locality  how close it is to the peer the list is for
 * @param have      the newest segment sequence it reported, or null if it reported none
 * @param seeder    an edge seeder: its bytes are edge bytes, asked for only as a rescue
 */
public record PeerInfo(String peerId, Locality locality, Long have, boolean seeder) {

  public PeerInfo {
    WireRules.peerId("peerId", peerId);
    Objects.requireNonNull(locality, "locality");
    if (have != null) {
      WireRules.count("have", have);
    }
  }

  /** A viewer. */
  public PeerInfo(String peerId, Locality locality, Long have) {
    this(peerId, locality, have, false);
  }
}
