package dev.swarmcdn.peer.swarm;

import dev.swarmcdn.protocol.peer.PeerFrame;
import dev.swarmcdn.protocol.peer.RejectReason;
import java.util.ArrayList;
import java.util.List;

/** Records what a {@link PeerLink} tells its owner, and what becomes of one request. */
final class LinkRecorder implements PeerLink.Events {
  final List<PeerFrame.Hello> ready = new ArrayList<>();
  int haves;
  final List<PeerFrame.Request> requests = new ArrayList<>();
  final List<Long> cancels = new ArrayList<>();
  final List<LinkClose> closes = new ArrayList<>();

  @Override
  public void ready(PeerFrame.Hello remote) {
    ready.add(remote);
  }

  @Override
  public void have() {
    haves++;
  }

  @Override
  public void request(PeerFrame.Request request) {
    requests.add(request);
  }

  @Override
  public void cancel(long requestId) {
    cancels.add(requestId);
  }

  @Override
  public void closed(LinkClose close) {
    closes.add(close);
  }

  /** The fate of one request: its payload bytes and how it ended ("end", "reject:...", "close"). */
  static final class Fate implements RequestHandler {
    final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    final List<String> endings = new ArrayList<>();
    int pieces;

    @Override
    public void onPiece(PeerFrame.Piece piece) {
      pieces++;
      var payload = piece.payload();
      byte[] copy = new byte[payload.remaining()];
      payload.get(copy);
      bytes.writeBytes(copy);
    }

    @Override
    public void onEnd() {
      endings.add("end");
    }

    @Override
    public void onReject(RejectReason reason) {
      endings.add("reject:" + reason);
    }

    @Override
    public void onClose() {
      endings.add("close");
    }
  }
}
