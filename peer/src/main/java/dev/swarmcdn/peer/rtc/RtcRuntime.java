package dev.swarmcdn.peer.rtc;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import dev.swarmcdn.peer.swarm.PeerSession;
import dev.swarmcdn.peer.swarm.SessionFactory;
import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A libwebrtc: one {@link PeerConnectionFactory} (its network, signaling and worker threads serve
 * every peer connection opened on it) behind the engine's {@link SessionFactory}. A process has
 * one {@link #shared()}; a simulation of many viewers spreads them over {@link #create() more}.
 *
 * <p>The factory is created on the first {@link #open}, with a headless audio device module (the
 * default one looks for a sound card and crashes the JVM on a server), and freed by
 * {@link #close()} or at JVM shutdown, after every session still open is closed (silently: no
 * onFailed). A session opened after a close starts a new factory.
 */
public final class RtcRuntime implements SessionFactory, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RtcRuntime.class);
  private static final RtcRuntime SHARED = new RtcRuntime();

  private final Set<RtcSession> open = ConcurrentHashMap.newKeySet();

  // Guarded by this: created, used to create connections and freed under one lock, so a
  // connection is never created on a factory being freed.
  private PeerConnectionFactory factory;
  private Thread shutdownHook;

  private RtcRuntime() {}

  /** The one runtime of this process. */
  public static RtcRuntime shared() {
    return SHARED;
  }

  /**
   * A runtime beside the shared one, with a factory and threads of its own: for many virtual
   * viewers in one process ({@link SpreadSessions}), where each real viewer would have its own.
   */
  public static RtcRuntime create() {
    return new RtcRuntime();
  }

  /**
   * Opens a session; safe from any thread. Its callbacks run on {@code spec.clock()}.
   *
   * @throws IllegalArgumentException for an ICE server libwebrtc could refuse: checked in Java,
   *     since webrtc-java 0.14 crashes the JVM when libwebrtc refuses a configuration
   */
  @Override
  public PeerSession open(Spec spec) {
    return open(spec, PeerSession.CHANNEL_LABEL);
  }

  /** A session whose initiator labels its channel {@code label}: for tests of strangers. */
  PeerSession open(Spec spec, String label) {
    synchronized (this) {
      RtcSession session = new RtcSession(spec, factory(), open::remove, label);
      open.add(session);
      return session;
    }
  }

  /** Sessions opened and not yet closed. */
  public int openSessions() {
    return open.size();
  }

  private PeerConnectionFactory factory() {
    if (factory == null) {
      factory = new PeerConnectionFactory(new HeadlessAudioDeviceModule());
      shutdownHook = new Thread(this::close, "swarmcdn-webrtc-shutdown");
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    }
    return factory;
  }

  /** Closes every open session and frees the factory and its threads; harmless when idle. */
  @Override
  public void close() {
    synchronized (this) {
      if (factory == null) {
        return;
      }
      // Connections hold the factory's threads: close them before the threads stop.
      for (RtcSession session : new ArrayList<>(open)) {
        session.close();
      }
      try {
        factory.dispose();
      } catch (Throwable e) { // NOPMD: dispose throws an Error when libwebrtc holds another ref
        LOG.warn("freeing the peer connection factory: {}", e.toString());
      }
      factory = null;
      removeShutdownHook();
    }
  }

  private void removeShutdownHook() {
    Thread hook = shutdownHook;
    shutdownHook = null;
    if (hook != null && hook != Thread.currentThread()) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The JVM is on its way out; the hook runs or has run.
      }
    }
  }
}
