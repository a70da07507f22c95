package dev.swarmcdn.tracker.session;

import dev.swarmcdn.protocol.tracker.ErrorCode;
import dev.swarmcdn.tracker.ops.TrackerMetrics;
import dev.swarmcdn.tracker.ops.TrackerMetrics.Disconnect;
import dev.swarmcdn.tracker.signal.Delivery;
import dev.swarmcdn.tracker.socket.PeerSocket;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.vertx.core.Future;
import java.util.EnumSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.Set;

/**
 * One peer's WebSocket, whichever protocol it speaks: frames assembled into messages under the size
 * limits, the message rate enforced, bad frames counted, silence timed, and a peer that does not
 * read what it is sent cut off instead of buffered for. The protocol gets each message, decides
 * what it means and answers through {@link #send} and {@link #refuse}. All of it runs on the
 * connection's event loop.
 *
 * <p>Messages reach the protocol one after the other even when handling one is asynchronous: each
 * waits for the one before, so a signal never overtakes the join it depends on.
 */
public final class TrackerConnection implements PeerSocket.Listener, SilenceWatch.Watched {

  /** What a protocol does with its connection's messages. */
  public interface Protocol {

    /** A complete text message within the limits; the next waits for the returned future. */
    Future<Void> onMessage(String text, long receivedNanos);

    /** The protocol's frame refusing a message the connection turned away itself. */
    String refusal(ErrorCode code, String reason);

    /** The connection has closed, for whatever reason: leave every swarm. Called once. */
    void onClose();
  }

  /** Refusals that say the peer does not speak the protocol (or floods): they lead to a disconnect. */
  private static final Set<ErrorCode> BAD_FRAME_CODES = EnumSet.of(ErrorCode.MALFORMED, ErrorCode.UNKNOWN_TYPE,
      ErrorCode.UNSUPPORTED_VERSION, ErrorCode.TOO_LARGE, ErrorCode.RATE_LIMITED);

  private static final Logger LOG = LoggerFactory.getLogger(TrackerConnection.class);
  private static final Future<Void> DONE = Future.succeededFuture();

  private final PeerSocket socket;
  private final ConnectionRules rules;
  private final TrackerMetrics metrics;
  private final boolean pingsPeer;
  private final MessageAssembler assembler;
  private Protocol protocol;
  private Future<Void> previous = DONE;
  private long lastHeardNanos = System.nanoTime();
  /** This connection's place in {@link ConnectionRules#rate()}. */
  private long rateState;
  private SilenceWatch.Loop watch;
  private int watchIndex = -1;
  private int badFrames;
  private boolean closed;
  /** This connection's place in {@link ConnectionRules#signalRate()}: guarded by itself, as senders' loops relay. */
  private final long[] signalRateState = new long[1];
  /** Its queue is full and it is about to be closed: nothing more is queued for it. */
  private volatile boolean dropping;

  /**
   * @param pingsPeer whether the tracker sends a WebSocket ping to a peer silent for half an interval
   *                  (browsers answer pings by themselves, so WebTorrent clients need send nothing);
   *                  without, the peer must send frames of its own
   */
  public TrackerConnection(PeerSocket socket, ConnectionRules rules, TrackerMetrics metrics, boolean pingsPeer) {
    this.socket = socket;
    this.rules = rules;
    this.metrics = metrics;
    this.pingsPeer = pingsPeer;
    this.assembler = new MessageAssembler(rules.limits().maxFrameBytes(), rules.limits().hardFrameBytes());
    this.rateState = rules.rate().fresh(System.nanoTime());
    this.signalRateState[0] = rules.signalRate().fresh(System.nanoTime());
  }

  /** Starts handing messages to {@code protocol}: once, on the socket's event loop. */
  public void start(Protocol protocol) {
    this.protocol = protocol;
    metrics.connected();
    watch = rules.silence().add(this);
    socket.listen(this);
  }

  public boolean isClosed() {
    return closed;
  }

  /**
   * Queues a message and returns at once; nothing once closed. Safe from any thread (the relay
   * calls it from the sender's). A peer whose queue is full is closed with
   * {@link CloseCodes#SLOW_READER}: it is not reading, and the tracker will not hold more for it.
   */
  public void send(String text) {
    if (closed || dropping) {
      return;
    }
    if (!socket.sendText(text)) {
      dropping = true;
      socket.execute(this::dropSlowReader);
    }
  }

  /**
   * Queues a signal another peer sent, unless that would leave less than half the write queue free:
   * relayed signals never take the other half, which stays for the tracker's own messages, so no
   * sender can push this peer into being cut off as a slow reader (once they could, by relaying
   * many large signals to a peer that read slowly). Safe from any thread.
   *
   * <p>Nor more than {@code maxSignalsPerPeerPerSecond} a second, whoever sends them: many senders
   * together could otherwise keep this peer's connection busy with signals it never asked for.
   *
   * @return {@link Delivery#DELIVERED}; or, queuing nothing, {@link Delivery#RECIPIENT_BUSY} when the
   *     signal does not fit, {@link Delivery#RECIPIENT_FLOODED} when this second's signals were all
   *     relayed; its sender is told so
   */
  public Delivery relay(String text) {
    if (!closed && !dropping) {
      // Characters, not UTF-8 bytes: signals are JSON, SDP and ICE, ASCII but for rare names.
      if (!socket.hasRoom(text.length(), rules.limits().maxWriteQueueBytes() / 2)) {
        return Delivery.RECIPIENT_BUSY;
      }
      synchronized (signalRateState) {
        long now = System.nanoTime();
        if (!rules.signalRate().admits(signalRateState[0], now)) {
          return Delivery.RECIPIENT_FLOODED;
        }
        signalRateState[0] = rules.signalRate().taken(signalRateState[0], now);
      }
    }
    send(text);
    return Delivery.DELIVERED;
  }

  /**
   * Tells the sender its message was turned away for another's sake (a busy recipient): counted,
   * but not a bad frame, since an honest sender cannot know another peer's queue.
   */
  public Future<Void> decline(ErrorCode code, String frame) {
    metrics.refused(code);
    send(frame);
    return Future.succeededFuture();
  }

  /** On the connection's own loop, whichever loop found its queue full. */
  private void dropSlowReader() {
    if (!closed) {
      close(Disconnect.SLOW_READER, CloseCodes.SLOW_READER, "slow reader");
      // Its close frame waits behind everything the peer does not read: cut the connection now.
      socket.abort();
    }
  }

  /** Sends the frame refusing a message, counts it, and closes the connection after too many bad frames. */
  public Future<Void> refuse(ErrorCode code, String frame) {
    metrics.refused(code);
    send(frame);
    if (BAD_FRAME_CODES.contains(code) && ++badFrames > rules.limits().maxBadFrames()) {
      close(Disconnect.BAD_FRAMES, CloseCodes.POLICY_VIOLATION, "too many bad frames");
    }
    return Future.succeededFuture();
  }

  /** Refuses a message the connection turned away before the protocol saw it. */
  private Future<Void> turnAway(ErrorCode code, String reason) {
    return refuse(code, protocol.refusal(code, reason));
  }

  @Override
  public void onFrame(WebSocketFrame frame) {
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
      case INVALID_UTF8:
        close(Disconnect.PROTOCOL_ERROR, CloseCodes.INVALID_PAYLOAD, "text is not valid UTF-8");
        return;
      default:
        break;
    }
    // Taken on arrival, so the rate is that of the peer's sending, not of our handling.
    boolean withinRate = rules.rate().admits(rateState, now);
    if (withinRate) {
      rateState = rules.rate().taken(rateState, now);
    }
    if (previous.isComplete()) {
      // The usual case: nothing pending, so no chain to hang this message on (and to keep alive).
      previous = settled(handle(message, withinRate, now));
    } else {
      Future<Void> next = previous.transform(ignored -> handle(message, withinRate, now));
      previous = next;
      next.onComplete(handled -> {
        if (handled.failed()) {
          unexpected(handled.cause());
        }
        if (previous == next) {
          previous = DONE;
        }
      });
    }
  }

  private Future<Void> handle(MessageAssembler.Assembled message, boolean withinRate, long receivedNanos) {
    if (closed) {
      return DONE;
    }
    if (!withinRate) {
      return turnAway(ErrorCode.RATE_LIMITED, "more than " + rules.limits().messagesPerSecond()
          + " messages per second");
    }
    switch (message.outcome()) {
      case BINARY:
        return turnAway(ErrorCode.MALFORMED, "frames must be text");
      case TOO_LARGE:
        return turnAway(ErrorCode.TOO_LARGE, "messages are limited to " + rules.limits().maxFrameBytes()
            + " bytes");
      default:
        return protocol.onMessage(message.text(), receivedNanos);
    }
  }

  /** A completed future is replaced by one shared instance, so an idle connection keeps nothing of its last message. */
  private Future<Void> settled(Future<Void> handled) {
    if (!handled.isComplete()) {
      handled.onFailure(this::unexpected);
      return handled;
    }
    if (handled.failed()) {
      unexpected(handled.cause());
    }
    return DONE;
  }

  /** A protocol answers every message it can refuse with a frame: a failure here is a bug, and must be seen. */
  private void unexpected(Throwable failure) {
    LOG.warn("a message could not be handled; the connection goes on", failure);
  }

  @Override
  public void onProtocolError(CorruptedWebSocketFrameException corrupted) {
    // Netty refuses a frame over the hard limit, or one that breaks RFC 6455 (unmasked, bad opcode),
    // and then reads nothing more from this connection.
    if (!closed) {
      WebSocketCloseStatus status = corrupted.closeStatus();
      boolean tooBig = status.code() == CloseCodes.MESSAGE_TOO_BIG;
      close(tooBig ? Disconnect.TOO_LARGE : Disconnect.PROTOCOL_ERROR, (short) status.code(),
          tooBig ? "message too large" : status.reasonText());
    }
  }

  @Override
  public int watchIndex() {
    return watchIndex;
  }

  @Override
  public void watchIndex(int index) {
    watchIndex = index;
  }

  @Override
  public void checkSilence() {
    long intervalNanos = rules.pingInterval().toNanos();
    long silentNanos = System.nanoTime() - lastHeardNanos;
    if (silentNanos > intervalNanos * rules.missedPings()) {
      close(Disconnect.PING_TIMEOUT, CloseCodes.PING_TIMEOUT, "ping timeout");
    } else if (pingsPeer && silentNanos > intervalNanos / 2 && socket.isOpen()) {
      socket.ping();
    }
  }

  private void close(Disconnect reason, short code, String text) {
    if (closed) {
      return;
    }
    // Left and counted before the close goes out: whoever sees it closed sees both done. And the
    // tracker does not wait for the peer's side of the close handshake: it may never come.
    cleanUp();
    metrics.closedFor(reason);
    socket.close(code, text);
  }

  @Override
  public void onClosed() {
    cleanUp();
  }

  private void cleanUp() {
    if (closed) {
      return;
    }
    closed = true;
    if (watch != null) {
      watch.remove(this);
    }
    protocol.onClose();
    metrics.disconnected();
  }
}
