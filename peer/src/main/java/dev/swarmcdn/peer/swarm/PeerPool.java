package dev.swarmcdn.peer.swarm;

import dev.swarmcdn.peer.store.Holdings;
import dev.swarmcdn.peer.util.Clock;
import dev.swarmcdn.protocol.peer.ByeReason;
import dev.swarmcdn.protocol.peer.PeerFrame;
import dev.swarmcdn.protocol.registry.IceServer;
import dev.swarmcdn.protocol.tracker.PeerInfo;
import dev.swarmcdn.protocol.tracker.SignalKind;
import dev.swarmcdn.protocol.tracker.SwarmId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peers of one swarm, as the browser's PeerPool: a bounded set, chosen in the tracker's order
 * (closest and freshest first), connected through the tracker's signal relay, each with a
 * {@link PeerLink} once its data channel is open and a score of how it serves us. Peers that
 * misbehave are dropped and kept away for a while; one that sent bad bytes, for good. Confined to
 * the engine's thread.
 */
public final class PeerPool {
  private static final Logger LOG = LoggerFactory.getLogger(PeerPool.class);

  /** A peer whose channel is not up after this long is given up. */
  static final long CONNECT_TIMEOUT_MS = 15_000;
  /** A peer that could not be reached is not tried again for this long. */
  static final long UNREACHABLE_BAN_MS = 30_000;
  /**
   * Offers from viewers are answered up to this many beyond {@code maxPeers}: the viewers that
   * joined first fill each other's pools, and a late one would find every pool full and no viewer
   * to take segments from.
   */
  static final int EXTRA_ANSWERED = 2;
  /** Edge seeders connected at once at most, besides {@code maxPeers} viewers. */
  static final int MAX_SEEDERS = 2;
  /** Our HELLO: requests of at most this many bytes (a whole segment of any usual size). */
  static final long MAX_REQUEST_BYTES = 16L * 1024 * 1024;

  /** What the pool tells the engine, on its thread. */
  public interface Events {
    default void ready(Peer peer) {
    }

    default void have(Peer peer) {
    }

    default void request(Peer peer, PeerFrame.Request request) {
    }

    default void closed(Peer peer, LinkClose close) {
    }
  }

  /** Sends a signal to a peer through the tracker. */
  @FunctionalInterface
  public interface SignalSender {
    void send(String to, SignalKind kind, String data);
  }

  /**
   * How the pool is set up.
   *
   * @param maxRequests  how many open requests each peer may have with us (0: we serve nothing)
   * @param flags        our HELLO's flags ({@link PeerFrame.Hello#SEEDER} for an edge seeder)
   * @param banned       peer id -> kept away until (clock ms), shared by the pools of one engine
   * @param relayOnly    connect through TURN relays only ({@link SessionFactory.Spec#relayOnly()})
   */
  public record Settings(SwarmId swarm, int maxPeers, int maxRequests, int flags,
      Supplier<List<IceServer>> iceServers, Supplier<String> selfId, Supplier<Holdings> holdings,
      SignalSender signals, SessionFactory sessions, Clock clock, Map<String, Long> banned, boolean relayOnly) {

    /** Every kind of ICE candidate, as by default. */
    public Settings(SwarmId swarm, int maxPeers, int maxRequests, int flags,
        Supplier<List<IceServer>> iceServers, Supplier<String> selfId, Supplier<Holdings> holdings,
        SignalSender signals, SessionFactory sessions, Clock clock, Map<String, Long> banned) {
      this(swarm, maxPeers, maxRequests, flags, iceServers, selfId, holdings, signals, sessions, clock, banned, false);
    }
  }

  private final Settings settings;
  private final Events events;
  private final Map<String, Peer> peers = new LinkedHashMap<>();
  private boolean closed;

  public PeerPool(Settings settings, Events events) {
    this.settings = settings;
    this.events = events;
  }

  public SwarmId swarm() {
    return settings.swarm();
  }

  /** Peers with an open, greeted link. */
  public List<Peer> connected() {
    List<Peer> ready = new ArrayList<>();
    for (Peer peer : peers.values()) {
      if (peer.ready()) {
        ready.add(peer);
      }
    }
    return ready;
  }

  /** Every peer, connecting or connected. */
  public int size() {
    return peers.size();
  }

  public Peer peer(String id) {
    return peers.get(id);
  }

  /** Peers whose last HAVE lists {@code sequence} as held and that let us open one more request. */
  public List<Peer> holders(long sequence) {
    List<Peer> holders = new ArrayList<>();
    for (Peer peer : peers.values()) {
      if (peer.ready() && peer.link.holds(sequence) && peer.link.requestSlots() > 0) {
        holders.add(peer);
      }
    }
    return holders;
  }

  /** Whether any connected peer holds {@code sequence}, request slot or not. */
  public boolean anyHolds(long sequence) {
    for (Peer peer : peers.values()) {
      if (peer.ready() && peer.link.holds(sequence)) {
        return true;
      }
    }
    return false;
  }

  /** How many viewers (edge seeders left out) announce they are fetching {@code sequence}. */
  public int fetchers(long sequence) {
    int count = 0;
    for (Peer peer : peers.values()) {
      if (peer.ready() && !peer.seeder() && peer.link.fetches(sequence)) {
        count++;
      }
    }
    return count;
  }

  /**
   * Whether {@code maxPeers} viewers are connected or connecting. Edge seeders take no viewer's
   * place: a seeder is the edge, and a pool filled by it would leave a late viewer with no viewers.
   */
  public boolean full() {
    return count(false) >= settings.maxPeers();
  }

  private int count(boolean seeders) {
    int count = 0;
    for (Peer peer : peers.values()) {
      if ((peer.listedSeeder || peer.seeder()) == seeders) {
        count++;
      }
    }
    return count;
  }

  /**
   * Offers connections to peers from the tracker's list, in its order: viewers until the pool is
   * full, edge seeders up to {@value #MAX_SEEDERS} besides.
   */
  public void connectTo(List<PeerInfo> candidates) {
    String self = settings.selfId().get();
    for (PeerInfo candidate : candidates) {
      String id = candidate.peerId();
      if (closed || id.equals(self) || peers.containsKey(id) || isBanned(id)
          || (candidate.seeder() ? count(true) >= MAX_SEEDERS : full())) {
        continue;
      }
      LOG.debug("{}: offering a connection to {}", settings.swarm(), id);
      add(id, true, candidate.seeder()).session.offer();
    }
  }

  /** A signal relayed from a peer of this swarm. */
  public void signal(String from, SignalKind kind, String data) {
    if (closed) {
      return;
    }
    Peer peer = peers.get(from);
    if (kind == SignalKind.OFFER) {
      if (peer != null && peer.initiator() && !peer.ready()) {
        // Both offered at once: the offer of the peer with the lower id stands.
        String self = settings.selfId().get();
        if (self != null && self.compareTo(from) < 0) {
          return;
        }
        remove(peer);
        peer = null;
      }
      if (peer == null) {
        if (count(false) >= settings.maxPeers() + EXTRA_ANSWERED || isBanned(from)) {
          return;
        }
        LOG.debug("{}: answering {}", settings.swarm(), from);
        peer = add(from, false, false);
      }
    }
    if (peer != null) {
      peer.session.signal(kind, data);
    }
  }

  /** Sends our holdings to every connected peer (each link coalesces bursts). */
  public void announce() {
    Holdings holdings = settings.holdings().get();
    for (Peer peer : peers.values()) {
      if (peer.ready()) {
        peer.link.sendHave(holdings);
      }
    }
  }

  /** Drops a peer: BYE with the reason, and keeps it away for {@code banMs} (Long.MAX_VALUE: for good). */
  public void drop(String id, ByeReason reason, long banMs) {
    if (banMs > 0) {
      long now = settings.clock().now();
      settings.banned().put(id, banMs == Long.MAX_VALUE ? Long.MAX_VALUE : now + banMs);
    }
    Peer peer = peers.get(id);
    if (peer == null) {
      return;
    }
    if (peer.link != null) {
      peer.link.close(reason, null);
    }
    remove(peer);
  }

  /** Leaves the swarm: BYE leaving to everyone, every connection closed and freed. */
  public void close() {
    closed = true;
    for (Peer peer : new ArrayList<>(peers.values())) {
      if (peer.link != null) {
        peer.link.close(ByeReason.LEAVING, null);
      }
      remove(peer);
    }
  }

  private boolean isBanned(String id) {
    Long until = settings.banned().get(id);
    if (until == null) {
      return false;
    }
    if (settings.clock().now() < until) {
      return true;
    }
    settings.banned().remove(id);
    return false;
  }

  private Peer add(String id, boolean initiator, boolean listedSeeder) {
    Peer peer = new Peer(id, initiator, listedSeeder);
    Clock clock = settings.clock();
    peer.connectTimer = clock.schedule(CONNECT_TIMEOUT_MS, () -> {
      if (!peer.ready() && peers.get(id) == peer) {
        LOG.debug("peer {} did not connect in time", id);
        drop(id, ByeReason.LEAVING, UNREACHABLE_BAN_MS);
      }
    });
    peers.put(id, peer);
    peer.session = settings.sessions().open(new SessionFactory.Spec(initiator, settings.iceServers().get(),
        (kind, data) -> settings.signals().send(id, kind, data),
        channel -> attach(peer, channel),
        () -> {
          if (peers.get(id) != peer) {
            return;
          }
          settings.banned().put(id, clock.now() + UNREACHABLE_BAN_MS);
          remove(peer);
        },
        clock, settings.relayOnly()));
    return peer;
  }

  private void attach(Peer peer, DataChannel channel) {
    if (peers.get(peer.id()) != peer) {
      channel.close();
      return;
    }
    PeerFrame.Hello hello = new PeerFrame.Hello(settings.swarm(), settings.flags(), settings.maxRequests(),
        MAX_REQUEST_BYTES);
    peer.link = new PeerLink(channel, hello, settings.clock(), settings.holdings(), new PeerLink.Events() {
      @Override
      public void ready(PeerFrame.Hello remote) {
        LOG.debug("{}: peer {} connected", settings.swarm(), peer.id());
        peer.connectTimer.cancel();
        events.ready(peer);
      }

      @Override
      public void have() {
        events.have(peer);
      }

      @Override
      public void request(PeerFrame.Request request) {
        events.request(peer, request);
      }

      @Override
      public void closed(LinkClose close) {
        LOG.debug("peer {} closed: {}{}", peer.id(), close.reason(), close.remote() ? " (by the peer)" : "");
        remove(peer);
        events.closed(peer, close);
      }
    });
  }

  private void remove(Peer peer) {
    if (peers.get(peer.id()) != peer) {
      return;
    }
    peers.remove(peer.id());
    peer.connectTimer.cancel();
    if (peer.link != null) {
      peer.link.close(ByeReason.LEAVING, null);
    }
    peer.session.close();
    if (peer.link == null) {
      events.closed(peer, new LinkClose(LinkClose.Reason.CLOSED, false, "never connected"));
    }
  }
}
