package dev.swarmcdn.tracker.session;

import dev.swarmcdn.protocol.tracker.ClientMessage;
import dev.swarmcdn.protocol.tracker.ErrorCode;
import dev.swarmcdn.protocol.tracker.PeerInfo;
import dev.swarmcdn.protocol.tracker.ProtocolException;
import dev.swarmcdn.protocol.tracker.ServerMessage;
import dev.swarmcdn.protocol.tracker.SwarmId;
import dev.swarmcdn.protocol.tracker.TrackerCodec;
import dev.swarmcdn.tracker.access.JoinRefusal;
import dev.swarmcdn.tracker.locality.NetworkPrefix;
import dev.swarmcdn.tracker.ops.TrackerMetrics.Disconnect;
import dev.swarmcdn.tracker.signal.PeerChannel;
import dev.swarmcdn.tracker.swarm.Candidate;
import dev.swarmcdn.tracker.swarm.Member;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.vertx.core.Future;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One peer's connection speaking our tracker protocol: frames in, limits enforced, each message
 * turned into directory and relay calls, answers and error frames out; on close, the peer leaves
 * every swarm it joined. All of it runs on the connection's event loop.
 *
 * <p>Messages are handled one after the other even when a directory call is asynchronous: each
 * waits for the one before, so a signal never overtakes the join it depends on.
 */
public final class PeerSession implements PeerChannel {

  /** Refusals that say the peer does not speak the protocol (or floods): they lead to a disconnect. */
  private static final Set<ErrorCode> BAD_FRAME_CODES = EnumSet.of(ErrorCode.MALFORMED, ErrorCode.UNKNOWN_TYPE,
      ErrorCode.UNSUPPORTED_VERSION, ErrorCode.TOO_LARGE, ErrorCode.RATE_LIMITED);

  private final ServerWebSocket socket;
  private final String peerId;
  private final NetworkPrefix network;
  private final SessionServices services;
  private final MessageAssembler assembler;
  private final TokenBucket bucket;
  private final Map<SwarmId, Member> joined = new LinkedHashMap<>();
  private Future<Void> previous = Future.succeededFuture();
  private long lastHeardNanos = System.nanoTime();
  private long pingTimer;
  private int badFrames;
  private boolean closed;

  private PeerSession(ServerWebSocket socket, String peerId, NetworkPrefix network, SessionServices services) {
    this.socket = socket;
    this.peerId = peerId;
    this.network = network;
    this.services = services;
    this.assembler = new MessageAssembler(services.limits().maxFrameBytes(), services.limits().hardFrameBytes());
    this.bucket = new TokenBucket(services.limits().messagesPerSecond(), services.limits().messageBurst(),
        System::nanoTime);
  }

  /** Takes over an accepted WebSocket: must be called on its event loop. */
  static void open(ServerWebSocket socket, String peerId, NetworkPrefix network, SessionServices services) {
    PeerSession session = new PeerSession(socket, peerId, network, services);
    socket.frameHandler(session::onFrame);
    socket.exceptionHandler(session::onException);
    socket.closeHandler(ignored -> session.cleanUp());
    services.relay().attach(session);
    services.metrics().connected();
    long interval = services.pingInterval().toMillis();
    session.pingTimer = services.vertx().setPeriodic(interval, id -> session.checkSilence());
    session.send(new ServerMessage.Welcome(peerId, interval));
  }

  @Override
  public String peerId() {
    return peerId;
  }

  @Override
  public void deliver(ServerMessage.Signal signal) {
    send(signal);
  }

  private void onFrame(WebSocketFrame frame) {
    long now = System.nanoTime();
    lastHeardNanos = now;
    if (closed) {
      return;
    }
    MessageAssembler.Assembled message = assembler.accept(frame);
    switch (message.outcome()) {
      case PARTIAL:
        return;
      case OVERFLOW:
        close(Disconnect.TOO_LARGE, CloseCodes.MESSAGE_TOO_BIG, "message too large");
        return;
      default:
        break;
    }
    // Taken on arrival, so the rate is that of the peer's sending, not of our handling.
    boolean withinRate = bucket.tryTake();
    previous = previous.transform(ignored -> {
      if (closed) {
        return Future.succeededFuture();
      }
      if (!withinRate) {
        return refuse(ErrorCode.RATE_LIMITED, "more than " + services.limits().messagesPerSecond()
            + " messages per second", null);
      }
      switch (message.outcome()) {
        case BINARY:
          return refuse(ErrorCode.MALFORMED, "frames must be text", null);
        case TOO_LARGE:
          return refuse(ErrorCode.TOO_LARGE, "messages are limited to " + services.limits().maxFrameBytes()
              + " bytes", null);
        default:
          return handle(message.text(), now);
      }
    });
  }

  private Future<Void> handle(String text, long receivedNanos) {
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
    }
    return send(new ServerMessage.Pong());
  }

  private Future<Void> join(ClientMessage.Join join) {
    SwarmId swarm = join.swarm();
    Optional<JoinRefusal> refusal = services.joinPolicy().check(join.token(), swarm);
    if (refusal.isPresent()) {
      return refuse(ErrorCode.UNAUTHORIZED, refusal.get().reason(), join.type());
    }
    int maxSwarms = services.limits().maxSwarmsPerConnection();
    if (!joined.containsKey(swarm) && joined.size() >= maxSwarms) {
      return refuse(ErrorCode.LIMIT_EXCEEDED, "at most " + maxSwarms + " swarms per connection", join.type());
    }
    Member member = new Member(peerId, swarm, join.edge(), network, join.uploadSlots(), join.have());
    return services.directory().join(member).compose(admitted -> {
      if (!admitted) {
        return refuse(ErrorCode.LIMIT_EXCEEDED, "swarm is full", join.type());
      }
      if (closed) {
        // The connection went while the directory admitted it: clean-up has run already.
        return services.directory().leave(swarm, peerId);
      }
      if (joined.put(swarm, member) == null) {
        services.metrics().joined();
      }
      return services.directory().peersFor(member).compose(candidates -> send(peers(swarm, candidates)));
    });
  }

  private static ServerMessage.Peers peers(SwarmId swarm, List<Candidate> candidates) {
    return new ServerMessage.Peers(swarm, candidates.stream()
        .map(c -> new PeerInfo(c.member().peerId(), c.locality(), c.member().have()))
        .toList());
  }

  private Future<Void> leave(ClientMessage.Leave leave) {
    if (joined.remove(leave.swarm()) == null) {
      return notJoined(leave);
    }
    return services.directory().leave(leave.swarm(), peerId);
  }

  private Future<Void> have(ClientMessage.Have have) {
    Member member = joined.get(have.swarm());
    if (member == null) {
      return notJoined(have);
    }
    joined.put(have.swarm(), member.withHave(have.newest()));
    return services.directory().have(have.swarm(), peerId, have.newest());
  }

  private Future<Void> signal(ClientMessage.Signal signal, long receivedNanos) {
    if (!joined.containsKey(signal.swarm())) {
      return notJoined(signal);
    }
    return services.signalling()
        .relay(peerId, signal.to(), signal.swarm(), signal.kind(), signal.data(), receivedNanos)
        .compose(delivered -> delivered ? Future.succeededFuture()
            : refuse(ErrorCode.UNKNOWN_PEER, "no such peer in this swarm", signal.type()));
  }

  private Future<Void> notJoined(ClientMessage message) {
    return refuse(ErrorCode.NOT_JOINED, "not in this swarm; join it first", message.type());
  }

  private Future<Void> refuse(ErrorCode code, String text, String ref) {
    return refuse(new ServerMessage.ErrorFrame(code, text, ref));
  }

  private Future<Void> refuse(ServerMessage.ErrorFrame error) {
    services.metrics().refused(error.code());
    send(error);
    if (BAD_FRAME_CODES.contains(error.code()) && ++badFrames > services.limits().maxBadFrames()) {
      close(Disconnect.BAD_FRAMES, CloseCodes.POLICY_VIOLATION, "too many bad frames");
    }
    return Future.succeededFuture();
  }

  /** Queues the message; handling does not wait for the network. */
  private Future<Void> send(ServerMessage message) {
    if (!closed) {
      socket.writeTextMessage(TrackerCodec.encode(message));
    }
    return Future.succeededFuture();
  }

  private void onException(Throwable failure) {
    // Netty refuses a frame over the hard limit, or one that breaks RFC 6455 (bad UTF-8, unmasked),
    // and then reads nothing more from this connection.
    if (failure instanceof CorruptedWebSocketFrameException corrupted && !closed) {
      WebSocketCloseStatus status = corrupted.closeStatus();
      boolean tooBig = status.code() == CloseCodes.MESSAGE_TOO_BIG;
      close(tooBig ? Disconnect.TOO_LARGE : Disconnect.PROTOCOL_ERROR, (short) status.code(),
          tooBig ? "message too large" : status.reasonText());
    }
  }

  private void checkSilence() {
    long allowedNanos = services.pingInterval().toNanos() * services.missedPings();
    if (System.nanoTime() - lastHeardNanos > allowedNanos) {
      close(Disconnect.PING_TIMEOUT, CloseCodes.PING_TIMEOUT, "ping timeout");
    }
  }

  private void close(Disconnect reason, short code, String text) {
    if (closed) {
      return;
    }
    services.metrics().closedFor(reason);
    socket.close(code, text);
    // Do not wait for the peer's side of the close handshake: it may never come.
    cleanUp();
  }

  private void cleanUp() {
    if (closed) {
      return;
    }
    closed = true;
    services.vertx().cancelTimer(pingTimer);
    services.relay().detach(peerId);
    joined.keySet().forEach(swarm -> services.directory().leave(swarm, peerId));
    joined.clear();
    services.metrics().disconnected();
  }
}
