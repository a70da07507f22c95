package dev.swarmcdn.peer.rtc;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.PortAllocatorConfig;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelInit;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceGatheringState;
import dev.onvoid.webrtc.RTCIceServer;
import dev.onvoid.webrtc.RTCIceTransportPolicy;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import dev.swarmcdn.peer.swarm.PeerSession;
import dev.swarmcdn.peer.swarm.SessionFactory.Spec;
import dev.swarmcdn.peer.util.Clock;
import dev.swarmcdn.protocol.registry.IceServer;
import dev.swarmcdn.protocol.tracker.SignalKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One webrtc-java peer connection, set up as the browser's RtcSession (web-player/src/peer/rtc.js)
 * is, with the same JSON on the signal relay.
 *
 * <p>The engine calls {@link #offer}, {@link #signal} and {@link #close} on its clock's thread.
 * libwebrtc calls back on its own threads; every callback is handed to the clock before it reads or
 * writes anything here, and is dropped there once the session is closed. Native calls are made
 * under this object's lock, so a close from another thread (the runtime's shutdown) never frees
 * the connection under one.
 */
final class RtcSession implements PeerSession {
  private static final Logger LOG = LoggerFactory.getLogger(RtcSession.class);

  private final Spec spec;
  private final Clock clock;
  private final Consumer<RtcSession> onClosed;
  private final ForwardingObserver observer;
  private final RTCPeerConnection connection;
  private final AtomicBoolean closed = new AtomicBoolean();

  // Confined to the clock's thread.
  private RtcDataChannel channel;
  private boolean remoteDescribed;
  private List<RTCIceCandidate> pendingCandidates = new ArrayList<>();

  /**
   * Creates the connection (and, for the initiator, the channel); {@code onClosed} hears once that
   * the session is closed, by the engine or by failure.
   *
   * <p>The ICE servers are of a shape libwebrtc parses ({@link IceServer} checks it): webrtc-java
   * crashes the JVM on a configuration libwebrtc refuses.
   */
  RtcSession(Spec spec, PeerConnectionFactory factory, Consumer<RtcSession> onClosed) {
    this(spec, factory, onClosed, CHANNEL_LABEL);
  }

  /** An initiator whose channel has another label: how tests play a stranger. */
  RtcSession(Spec spec, PeerConnectionFactory factory, Consumer<RtcSession> onClosed, String label) {
    this.spec = spec;
    this.clock = spec.clock();
    this.onClosed = onClosed;
    this.observer = new ForwardingObserver(this);
    try {
      this.connection = factory.createPeerConnection(configuration(spec.iceServers(), spec.relayOnly()), observer);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("libwebrtc refused the peer connection: " + e.getMessage(), e);
    }
    if (spec.initiator()) {
      try {
        channel = createChannel(label);
      } catch (RuntimeException | Error e) {
        closed.set(true);
        connection.close();
        throw e;
      }
      clock.execute(() -> {
        if (!closed.get()) {
          spec.onChannel().accept(channel);
        }
      });
    }
  }

  private RtcDataChannel createChannel(String label) {
    RTCDataChannelInit init = new RTCDataChannelInit();
    // Ordered and reliable (no lifetime, no retransmit limit), negotiated in-band: "The channel".
    init.ordered = true;
    init.negotiated = false;
    synchronized (this) {
      return new RtcDataChannel(connection.createDataChannel(label, init), clock);
    }
  }

  private static RTCConfiguration configuration(List<IceServer> iceServers, boolean relayOnly) {
    RTCConfiguration configuration = new RTCConfiguration();
    // Relay candidates only: the browser's iceTransportPolicy 'relay'. With no TURN server among
    // iceServers nothing is gathered and the connection times out, as in the browser.
    configuration.iceTransportPolicy = relayOnly ? RTCIceTransportPolicy.RELAY : RTCIceTransportPolicy.ALL;
    // UDP only, no link-local addresses: libwebrtc's TCP candidates (active, passive, simultaneous
    // open, per address) and fe80:: ones tripled what each connection trickles through the tracker
    // - 25 candidates a connection, enough for viewers joining together to pass the tracker's
    // message rate and be disconnected - for paths a data channel between viewers does not take
    // (TCP traversal is TURN's job). IPv6 stays.
    configuration.portAllocatorConfig = new PortAllocatorConfig()
        .setDisableTcp(true)
        .setEnableIpv6(true)
        .setFlag(PortAllocatorConfig.PORTALLOCATOR_DISABLE_LINK_LOCAL_NETWORKS);
    for (IceServer server : iceServers) {
      RTCIceServer ice = new RTCIceServer();
      ice.urls = new ArrayList<>(server.urls());
      ice.username = server.username();
      ice.password = server.credential();
      configuration.iceServers.add(ice);
    }
    return configuration;
  }

  @Override
  public void offer() {
    if (closed.get()) {
      return;
    }
    native_(pc -> pc.createOffer(new RTCOfferOptions(), described("offer", this::setLocal)));
  }

  @Override
  public void signal(SignalKind kind, String data) {
    if (closed.get()) {
      return;
    }
    try {
      switch (kind) {
        case OFFER -> {
          if (!spec.initiator()) {
            RTCSessionDescription offer = SignalJson.parseDescription(data);
            native_(pc -> pc.setRemoteDescription(offer, done("offer", () -> {
              remoteDescribed();
              native_(again -> again.createAnswer(new RTCAnswerOptions(), described("answer", this::setLocal)));
            })));
          }
        }
        case ANSWER -> {
          if (spec.initiator()) {
            RTCSessionDescription answer = SignalJson.parseDescription(data);
            native_(pc -> pc.setRemoteDescription(answer, done("answer", this::remoteDescribed)));
          }
        }
        case ICE -> {
          Optional<RTCIceCandidate> candidate = SignalJson.parseCandidate(data);
          if (candidate.isPresent()) {
            if (remoteDescribed) {
              native_(pc -> pc.addIceCandidate(candidate.get()));
            } else {
              pendingCandidates.add(candidate.get());
            }
          }
        }
      }
    } catch (RuntimeException e) {
      // As the browser's async signal(): the failure is reported later, never thrown at the caller.
      String why = kind.wireName() + ": " + e.getMessage();
      clock.execute(() -> fail(why));
    }
  }

  private void remoteDescribed() {
    remoteDescribed = true;
    List<RTCIceCandidate> waiting = pendingCandidates;
    pendingCandidates = new ArrayList<>();
    for (RTCIceCandidate candidate : waiting) {
      native_(pc -> pc.addIceCandidate(candidate));
    }
  }

  private void setLocal(RTCSessionDescription description) {
    native_(pc -> pc.setLocalDescription(description, done("local description", () -> {
      // As the browser sends pc.localDescription: the SDP libwebrtc settled on.
      RTCSessionDescription local = localDescription().orElse(description);
      SignalKind kind = spec.initiator() ? SignalKind.OFFER : SignalKind.ANSWER;
      spec.sendSignal().accept(kind, SignalJson.description(local));
    })));
  }

  private Optional<RTCSessionDescription> localDescription() {
    synchronized (this) {
      return closed.get() ? Optional.empty() : Optional.ofNullable(connection.getLocalDescription());
    }
  }

  /** Runs a native call on the connection unless closed; a refusal fails the session. */
  private void native_(Consumer<RTCPeerConnection> call) {
    synchronized (this) {
      if (closed.get()) {
        return;
      }
      try {
        call.accept(connection);
      } catch (VirtualMachineError e) {
        throw e;
      } catch (RuntimeException | Error e) {
        // webrtc-java throws for what the browser rejects, java.lang.Error for an unparsable SDP.
        String why = e.getMessage();
        clock.execute(() -> fail(why));
      }
    }
  }

  private void fail(String why) {
    if (closed.get()) {
      return;
    }
    LOG.debug("peer connection ended: {}", why);
    close();
    spec.onFailed().run();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    observer.detach();
    synchronized (this) {
      // Channel first: it must be the last holder of its native object when freed.
      if (channel != null) {
        channel.dispose();
      }
      try {
        // Closes transports and ports and frees the native observer; libwebrtc calls nothing after.
        connection.close();
      } catch (RuntimeException e) {
        LOG.warn("closing a peer connection: {}", e.toString());
      }
    }
    pendingCandidates = new ArrayList<>();
    onClosed.accept(this);
  }

  private void accept(RTCDataChannel offered) {
    // The initiator creates the one channel; the other side takes the first with the label.
    RtcDataChannel candidate = new RtcDataChannel(offered, clock);
    synchronized (this) {
      // Under the lock: a close from another thread either frees this channel or never sees it.
      boolean wanted = !closed.get() && !spec.initiator() && channel == null
          && CHANNEL_LABEL.equals(candidate.label());
      if (!wanted) {
        candidate.dispose();
        return;
      }
      channel = candidate;
    }
    spec.onChannel().accept(candidate);
    // The channel may have opened before it was handed over.
    candidate.refreshState();
  }

  private void onConnectionState(RTCPeerConnectionState state) {
    if (state == RTCPeerConnectionState.FAILED || state == RTCPeerConnectionState.CLOSED) {
      fail("connection " + state);
    }
  }

  private void onCandidate(RTCIceCandidate candidate) {
    spec.sendSignal().accept(SignalKind.ICE, SignalJson.candidate(candidate));
  }

  private void onGatheringState(RTCIceGatheringState state) {
    if (state == RTCIceGatheringState.COMPLETE) {
      // The browser's icecandidate event with a null candidate: the end of candidates.
      spec.sendSignal().accept(SignalKind.ICE, null);
    }
  }

  /** Hands a native callback to the clock, where it runs only while the session is open. */
  private void later(Runnable task) {
    clock.execute(() -> {
      if (!closed.get()) {
        task.run();
      }
    });
  }

  private CreateSessionDescriptionObserver described(String what, Consumer<RTCSessionDescription> next) {
    return new CreateSessionDescriptionObserver() {
      @Override
      public void onSuccess(RTCSessionDescription description) {
        NativeCallbacks.shielded(what, () -> later(() -> next.accept(description)));
      }

      @Override
      public void onFailure(String error) {
        NativeCallbacks.shielded(what, () -> later(() -> fail(what + ": " + error)));
      }
    };
  }

  private SetSessionDescriptionObserver done(String what, Runnable next) {
    return new SetSessionDescriptionObserver() {
      @Override
      public void onSuccess() {
        NativeCallbacks.shielded(what, () -> later(next));
      }

      @Override
      public void onFailure(String error) {
        NativeCallbacks.shielded(what, () -> later(() -> fail(what + ": " + error)));
      }
    };
  }

  /**
   * What libwebrtc calls, on its threads. It forwards only until the session closes, and holds the
   * session no longer than that.
   */
  private static final class ForwardingObserver implements PeerConnectionObserver {
    private volatile RtcSession target;

    ForwardingObserver(RtcSession target) {
      this.target = target;
    }

    void detach() {
      target = null;
    }

    @Override
    public void onIceCandidate(RTCIceCandidate candidate) {
      NativeCallbacks.shielded("onIceCandidate", () -> {
        RtcSession session = target;
        if (session != null) {
          session.later(() -> session.onCandidate(candidate));
        }
      });
    }

    @Override
    public void onIceGatheringChange(RTCIceGatheringState state) {
      NativeCallbacks.shielded("onIceGatheringChange", () -> {
        RtcSession session = target;
        if (session != null) {
          session.later(() -> session.onGatheringState(state));
        }
      });
    }

    @Override
    public void onConnectionChange(RTCPeerConnectionState state) {
      NativeCallbacks.shielded("onConnectionChange", () -> {
        RtcSession session = target;
        if (session != null) {
          session.later(() -> session.onConnectionState(state));
        }
      });
    }

    @Override
    public void onDataChannel(RTCDataChannel dataChannel) {
      NativeCallbacks.shielded("onDataChannel", () -> {
        RtcSession session = target;
        if (session == null) {
          freeUnwanted(dataChannel);
          return;
        }
        // Wrapped on the clock; a session closed by then frees it there.
        try {
          session.clock.execute(() -> session.accept(dataChannel));
        } catch (RuntimeException rejected) {
          freeUnwanted(dataChannel);
          throw rejected;
        }
      });
    }

    private static void freeUnwanted(RTCDataChannel dataChannel) {
      try {
        dataChannel.close();
        dataChannel.dispose();
      } catch (Throwable e) { // NOPMD: dispose throws an Error when libwebrtc holds another ref
        LOG.warn("freeing an unwanted data channel: {}", e.toString());
      }
    }
  }
}
