package dev.swarmcdn.peer.swarm;

import dev.swarmcdn.protocol.peer.PeerFrame;
import dev.swarmcdn.protocol.peer.RejectReason;

/**
 * What becomes of one of our REQUESTs: its PIECEs in order, then exactly one of {@link #onEnd},
 * {@link #onReject} or {@link #onClose}. Called on the engine's thread.
 */
public interface RequestHandler {

  /** A PIECE, already checked for order, size and range; its payload is valid during the call only. */
  void onPiece(PeerFrame.Piece piece);

  /** The range is complete. */
  void onEnd();

  void onReject(RejectReason reason);

  /** The link closed before the range was complete. */
  void onClose();
}
