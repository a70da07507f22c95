package dev.swarmcdn.tracker.session;

import dev.swarmcdn.protocol.tracker.ErrorCode;
import dev.swarmcdn.tracker.ops.TrackerMetrics;
import dev.swarmcdn.tracker.ops.TrackerMetrics.Disconnect;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.internal.http.WebSocketInternal;
import java.util.EnumSet;
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
public final class TrackerConnection {

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
  private static final Buffer PING = Buffer.buffer();

  private final ServerWebSocket socket;
  private final ConnectionRules rules;
  private final TrackerMetrics metrics;
  private final boolean pingsPeer;
  private final MessageAssembler assembler;
  private final TokenBucket bucket;
  private Protocol protocol;
  private Future<Void> previous = Future.succeededFuture();
  private long lastHeardNanos = System.nanoTime();
  private long pingTimer;
  private int badFrames;
  private boolean closed;

  /**
   * @param pingsPeer whether the tracker sends a WebSocket ping to a peer silent for half an interval
   *                  (browsers answer pings by themselves, so WebTorrent clients need send nothing);
   *                  without, the peer must send frames of its own
   */
  public TrackerConnection(ServerWebSocket socket, ConnectionRules rules, TrackerMetrics metrics, boolean pingsPeer) {
    this.socket = socket;
    this.rules = rules;
    this.metrics = metrics;
    this.pingsPeer = pingsPeer;
    this.assembler = new MessageAssembler(rules.limits().maxFrameBytes(), rules.limits().hardFrameBytes());
    this.bucket = new TokenBucket(rules.limits().messagesPerSecond(), rules.limits().messageBurst(),
        System::nanoTime);
  }

  /** Starts handing messages to {@code protocol}: once, on the socket's event loop. */
  public void start(Protocol protocol) {
    this.protocol = protocol;
    socket.setWriteQueueMaxSize(rules.limits().maxWriteQueueBytes());
    socket.frameHandler(this::onFrame);
    socket.exceptionHandler(this::onException);
    socket.closeHandler(ignored -> cleanUp());
    metrics.connected();
    pingTimer = rules.vertx().setPeriodic(rules.pingInterval().toMillis(), id -> checkSilence());
  }

  public boolean isClosed() {
    return closed;
  }

  /**
   * Queues a message and returns at once; nothing once closed. A peer whose queue is full is closed
   * with {@link CloseCodes#SLOW_READER}: it is not reading, and the tracker will not hold more for it.
   */
  public void send(String text) {
    if (closed) {
      return;
    }
    socket.writeTextMessage(text);
    if (!socket.isClosed() && socket.writeQueueFull()) {
      close(Disconnect.SLOW_READER, CloseCodes.SLOW_READER, "slow reader");
      // Its close frame waits behind everything the peer does not read: cut the connection now.
      if (socket instanceof WebSocketInternal internal) {
        internal.channelHandlerContext().close();
      }
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
          return protocol.onMessage(message.text(), now);
      }
    });
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
    long intervalNanos = rules.pingInterval().toNanos();
    long silentNanos = System.nanoTime() - lastHeardNanos;
    if (silentNanos > intervalNanos * rules.missedPings()) {
      close(Disconnect.PING_TIMEOUT, CloseCodes.PING_TIMEOUT, "ping timeout");
    } else if (pingsPeer && silentNanos > intervalNanos / 2 && !socket.isClosed()) {
      socket.writePing(PING);
    }
  }

  private void close(Disconnect reason, short code, String text) {
    if (closed) {
      return;
    }
    metrics.closedFor(reason);
    socket.close(code, text);
    // Do not wait for the peer's side of the close handshake: it may never come.
    cleanUp();
  }

  private void cleanUp() {
    if (closed) {
      return;
    }
    closed = true;
    rules.vertx().cancelTimer(pingTimer);
    protocol.onClose();
    metrics.disconnected();
  }
}
