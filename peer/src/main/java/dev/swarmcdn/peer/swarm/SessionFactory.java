package dev.swarmcdn.peer.swarm;

import dev.swarmcdn.peer.util.Clock;
import dev.swarmcdn.protocol.registry.IceServer;
import dev.swarmcdn.protocol.tracker.SignalKind;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** Opens {@link PeerSession}s: webrtc-java in the engine, in-memory pairs in tests. */
@FunctionalInterface
public interface SessionFactory {

  PeerSession open(Spec spec);

  /**
   * What a session is opened with. Callbacks run on {@code clock}'s thread.
   *
   * @param initiator   this side creates the channel and offers
   * @param iceServers  STUN/TURN servers; none: host candidates only
   * @param sendSignal  sends an offer, answer or ICE candidate (JSON, or null for the end of
   *                    candidates) to the peer through the tracker
   * @param onChannel   the data channel, once created (initiator) or received (the other side)
   * @param onFailed    the connection failed or closed before {@link PeerSession#close()} was called
   * @param clock       the engine's thread and time
   * @param relayOnly   gather and use TURN relay candidates only (RTCIceTransportPolicy "relay"):
   *                    how a viewer behind a strict firewall is tried, and how the relay is tested
   */
  record Spec(boolean initiator, List<IceServer> iceServers, BiConsumer<SignalKind, String> sendSignal,
      Consumer<DataChannel> onChannel, Runnable onFailed, Clock clock, boolean relayOnly) {

    public Spec {
      iceServers = List.copyOf(iceServers);
    }

    /** Every kind of candidate, as by default. */
    public Spec(boolean initiator, List<IceServer> iceServers, BiConsumer<SignalKind, String> sendSignal,
        Consumer<DataChannel> onChannel, Runnable onFailed, Clock clock) {
      this(initiator, iceServers, sendSignal, onChannel, onFailed, clock, false);
    }
  }
}
