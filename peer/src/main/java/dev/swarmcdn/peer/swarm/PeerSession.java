package dev.swarmcdn.peer.swarm;

import dev.swarmcdn.protocol.tracker.SignalKind;

/**
 * One WebRTC connection to one peer, set up through the tracker's signal relay as the browser's
 * RtcSession is: the initiator creates the ordered, reliable data channel {@code swarmcdn-peer}
 * and sends the offer; the other side accepts the channel and answers; ICE candidates trickle both
 * ways, and those that arrive before the remote description wait for it.
 */
public interface PeerSession {

  /** The data channel's label (docs/PROTOCOL.md, "The channel"). */
  String CHANNEL_LABEL = "swarmcdn-peer";

  /** The initiator's offer: creates it, sets it as local description and sends it. */
  void offer();

  /**
   * A signal relayed from the peer: its offer, answer or ICE candidate, {@code data} the JSON the
   * browser sends ({@code RTCSessionDescription} or {@code RTCIceCandidate.toJSON()}, {@code null}
   * for the end of candidates).
   */
  void signal(SignalKind kind, String data);

  /** Closes the connection and frees its native memory, at once and once. Harmless afterwards. */
  void close();
}
