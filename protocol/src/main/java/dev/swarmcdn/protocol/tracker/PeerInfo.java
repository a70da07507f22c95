package dev.swarmcdn.protocol.tracker;

import java.util.Objects;

/**
 * One entry of a peer list.
 *
 * @param peerId    the peer to signal
 * @param locality  how close it is to the peer the list is for
 * @param have      the newest segment sequence it reported, or null if it reported none
 */
public record PeerInfo(String peerId, Locality locality, Long have) {

  public PeerInfo {
    WireRules.peerId("peerId", peerId);
    Objects.requireNonNull(locality, "locality");
    if (have != null) {
      WireRules.count("have", have);
    }
  }
}
