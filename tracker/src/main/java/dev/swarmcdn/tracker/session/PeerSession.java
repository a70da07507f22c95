package dev.swarmcdn.tracker.session;

import dev.swarmcdn.protocol.tracker.ClientMessage;
import dev.swarmcdn.protocol.tracker.ErrorCode;
import dev.swarmcdn.protocol.tracker.PeerInfo;
import dev.swarmcdn.protocol.tracker.PeerReport;
import dev.swarmcdn.protocol.tracker.ProtocolException;
import dev.swarmcdn.protocol.tracker.ServerMessage;
import dev.swarmcdn.protocol.tracker.SwarmId;
import dev.swarmcdn.protocol.tracker.TrackerCodec;
import dev.swarmcdn.tracker.access.JoinRefusal;
import dev.swarmcdn.tracker.fleet.ViewerReport;
import dev.swarmcdn.tracker.locality.NetworkPrefix;
import dev.swarmcdn.tracker.registry.EdgeCredentials;
import dev.swarmcdn.tracker.signal.Delivery;
import dev.swarmcdn.tracker.signal.PeerChannel;
import dev.swarmcdn.tracker.swarm.Candidate;
import dev.swarmcdn.tracker.swarm.Member;
import io.vertx.core.Future;
import dev.swarmcdn.tracker.socket.PeerSocket;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One peer's connection speaking our tracker protocol: each message turned into directory and
 * relay calls, answers and error frames out; on close, the peer leaves every swarm it joined. The
 * limits, the order of messages and the closing are {@link TrackerConnection}'s.
 */
public final class PeerSession implements TrackerConnection.Protocol, PeerChannel<ServerMessage.Signal> {

  private static final int PEER_ID_BYTES = 16;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final TrackerConnection connection;
  private final String peerId;
  private final NetworkPrefix network;
  /** What its upgrade request showed: whether it may join as an edge seeder. */
  private final EdgeCredentials.Trust edge;
  private final SessionServices services;
  private final Map<SwarmId, Member> joined = new LinkedHashMap<>();
  /** The viewer's counters as last reported on this connection, whichever swarm they were for. */
  private final ViewerReport report = new ViewerReport();

  private PeerSession(TrackerConnection connection, String peerId, NetworkPrefix network, EdgeCredentials.Trust edge,
      SessionServices services) {
    this.connection = connection;
    this.peerId = peerId;
    this.network = network;
    this.edge = edge;
    this.services = services;
  }

  /** Takes over an accepted WebSocket: must be called on its event loop. */
  public static void open(PeerSocket socket, NetworkPrefix network, EdgeCredentials.Trust edge,
      SessionServices services) {
    TrackerConnection connection = new TrackerConnection(socket, services.rules(), services.metrics(), false);
    PeerSession session = new PeerSession(connection, newPeerId(), network, edge, services);
    connection.start(session);
    services.relay().attach(session);
    session.send(new ServerMessage.Welcome(session.peerId, services.rules().pingInterval().toMillis()));
  }

  /** 128 random bits: peers learn each other's ids from the tracker's lists, never by guessing. */
  private static String newPeerId() {
    byte[] bytes = new byte[PEER_ID_BYTES];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  @Override
  public String peerId() {
    return peerId;
  }

  @Override
  public Delivery deliver(ServerMessage.Signal signal) {
    return connection.relay(TrackerCodec.encode(signal));
  }

  @Override
  public Future<Void> onMessage(String text, long receivedNanos) {
    ClientMessage message;
    try {
      message = TrackerCodec.decodeClient(text);
    } catch (ProtocolException e) {
      return refuse(e.toFrame());
    }
    if (message instanceof ClientMessage.Join join) {
      return join(join);
    } else if (message instanceof ClientMessage.Leave leave) {
      return leave(leave);
    } else if (message instanceof ClientMessage.Signal signal) {
      return signal(signal, receivedNanos);
    } else if (message instanceof ClientMessage.Have have) {
      return have(have);
    } else if (message instanceof ClientMessage.Stats stats) {
      return stats(stats);
    }
    return send(new ServerMessage.Pong());
  }

  @Override
  public String refusal(ErrorCode code, String reason) {
    return TrackerCodec.encode(new ServerMessage.ErrorFrame(code, reason, null));
  }

  @Override
  public void onClose() {
    services.relay().detach(this);
    joined.keySet().forEach(swarm -> {
      services.fleet().left(report, swarm);
      services.steering().left(swarm, peerId);
      services.directory().leave(swarm, peerId);
    });
    joined.clear();
  }

  private Future<Void> join(ClientMessage.Join join) {
    SwarmId swarm = join.swarm();
    if (join.seeder() && !edge.edge()) {
      return refuse(ErrorCode.UNAUTHORIZED, "seeder joins need the edge secret", join.type());
    }
    // The edge secret grants every stream: a seeder that showed it needs no join token. One of an
    // open registry showed nothing, and needs a token where viewers do.
    boolean tokenWaived = join.seeder() && edge == EdgeCredentials.Trust.SECRET;
    Optional<JoinRefusal> refusal = tokenWaived ? Optional.empty() : services.joinPolicy().check(join.token(), swarm);
    if (refusal.isPresent()) {
      return refuse(ErrorCode.UNAUTHORIZED, refusal.get().reason(), join.type());
    }
    int maxSwarms = services.rules().limits().maxSwarmsPerConnection();
    if (!joined.containsKey(swarm) && joined.size() >= maxSwarms) {
      return refuse(ErrorCode.LIMIT_EXCEEDED, "at most " + maxSwarms + " swarms per connection", join.type());
    }
    Member member = new Member(peerId, swarm, join.edge(), network, join.uploadSlots(), join.have(), false,
        join.live(), join.seeder());
    return services.directory().join(member).compose(admitted -> {
      if (!admitted) {
        return refuse(ErrorCode.LIMIT_EXCEEDED, "swarm is full", join.type());
      }
      if (connection.isClosed()) {
        // The connection went while the directory admitted it: clean-up has run already.
        return services.directory().leave(swarm, peerId);
      }
      if (joined.put(swarm, member) == null) {
        services.metrics().joined();
      }
      services.steering().joined(member, connection::send);
      // Reports first: the list this join gets already leaves out whom it reported.
      return report(swarm, join.reports())
          .compose(recorded -> services.directory().peersFor(member))
          .compose(candidates -> {
            send(peers(swarm, candidates));
            // After the list: an assignment this report makes follows it.
            if (member.have() != null) {
              services.steering().reported(member, member.have());
            }
            return Future.succeededFuture();
          });
    });
  }

  private Future<Void> report(SwarmId swarm, List<PeerReport> reports) {
    if (reports.isEmpty()) {
      return Future.succeededFuture();
    }
    List<String> reported = reports.stream().map(PeerReport::peerId).toList();
    return services.directory().report(swarm, peerId, reported).map(recorded -> {
      // A peer named twice in one join counts once, under the reason given first.
      Set<String> uncounted = new HashSet<>(recorded);
      reports.stream().filter(report -> uncounted.remove(report.peerId()))
          .forEach(report -> services.reportMetrics().reported(report.reason()));
      return null;
    });
  }

  private static ServerMessage.Peers peers(SwarmId swarm, List<Candidate> candidates) {
    return new ServerMessage.Peers(swarm, candidates.stream()
        .map(c -> new PeerInfo(c.member().peerId(), c.locality(), c.member().have(), c.member().seeder()))
        .toList());
  }

  private Future<Void> leave(ClientMessage.Leave leave) {
    if (joined.remove(leave.swarm()) == null) {
      return notJoined(leave);
    }
    services.fleet().left(report, leave.swarm());
    services.steering().left(leave.swarm(), peerId);
    return services.directory().leave(leave.swarm(), peerId);
  }

  private Future<Void> have(ClientMessage.Have have) {
    Member member = joined.get(have.swarm());
    if (member == null) {
      return notJoined(have);
    }
    Member updated = member.withHave(have.newest());
    joined.put(have.swarm(), updated);
    // Steered once recorded: the member list the steering reads then holds this report.
    return services.directory().have(have.swarm(), peerId, have.newest())
        .onComplete(recorded -> services.steering().reported(updated, have.newest()));
  }

  /** The growth since the previous report goes to the swarm this one names. */
  private Future<Void> stats(ClientMessage.Stats stats) {
    if (!joined.containsKey(stats.swarm())) {
      return notJoined(stats);
    }
    long now = services.fleet().now();
    if (report.tooSoon(now)) {
      return connection.decline(ErrorCode.RATE_LIMITED, TrackerCodec.encode(new ServerMessage.ErrorFrame(
          ErrorCode.RATE_LIMITED, "one stats report a second at most", stats.type())));
    }
    services.fleet().add(report, stats.swarm(), report.accept(stats, now));
    return Future.succeededFuture();
  }

  private Future<Void> signal(ClientMessage.Signal signal, long receivedNanos) {
    if (!joined.containsKey(signal.swarm())) {
      return notJoined(signal);
    }
    ServerMessage.Signal relayed = new ServerMessage.Signal(peerId, signal.swarm(), signal.kind(), signal.data());
    return services.signalling()
        .relay(peerId, signal.to(), signal.swarm(), signal.kind(), relayed, receivedNanos)
        .compose(delivery -> switch (delivery) {
          case DELIVERED -> Future.succeededFuture();
          case NO_PEER -> refuse(ErrorCode.UNKNOWN_PEER, "no such peer in this swarm", signal.type());
          case RECIPIENT_BUSY -> connection.decline(ErrorCode.RATE_LIMITED, TrackerCodec.encode(
              new ServerMessage.ErrorFrame(ErrorCode.RATE_LIMITED, "that peer has too many signals unread; retry later",
                  signal.type())));
          case RECIPIENT_FLOODED -> connection.decline(ErrorCode.RATE_LIMITED, TrackerCodec.encode(
              new ServerMessage.ErrorFrame(ErrorCode.RATE_LIMITED,
                  "that peer was sent as many signals this second as it may; retry later", signal.type())));
        });
  }

  private Future<Void> notJoined(ClientMessage message) {
    return refuse(ErrorCode.NOT_JOINED, "not in this swarm; join it first", message.type());
  }

  private Future<Void> refuse(ErrorCode code, String text, String ref) {
    return refuse(new ServerMessage.ErrorFrame(code, text, ref));
  }

  private Future<Void> refuse(ServerMessage.ErrorFrame error) {
    return connection.refuse(error.code(), TrackerCodec.encode(error));
  }

  /** Queues the message; handling does not wait for the network. */
  private Future<Void> send(ServerMessage message) {
    connection.send(TrackerCodec.encode(message));
    return Future.succeededFuture();
  }
}
