package dev.swarmcdn.tracker.socket;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.util.concurrent.GenericFutureListener;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.impl.ConnectionBase;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Upgrades an HTTP request to a {@link PeerSocket} (RFC 6455, version 13, no extensions, no
 * subprotocol). Vert.x answers the handshake and hands over its TCP connection; from then on the
 * channel's pipeline holds only the {@link PeerSocket} (Netty's frame decoder), and nothing of the
 * HTTP connection or of Vert.x's WebSocket stays referenced.
 */
public final class WebSocketUpgrade {

  private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  private static final int KEY_BYTES = 16;
  /** Vert.x's name for the idle timeout's handler. */
  private static final String IDLE_TIMER = "idle";

  private final WebSocketDecoderConfig decoding;
  private final WriteBufferWaterMark writeBuffer;

  /**
   * @param hardFrameBytes      a frame longer than this is a protocol error and ends the connection
   * @param maxWriteQueueBytes  unsent bytes past which a peer counts as not reading
   */
  public WebSocketUpgrade(int hardFrameBytes, int maxWriteQueueBytes) {
    this.decoding = WebSocketDecoderConfig.newBuilder()
        .expectMaskedFrames(true)
        .allowExtensions(false)
        .maxFramePayloadLength(hardFrameBytes)
        // The PeerSocket's listener closes with the status of the violation, and counts it.
        .closeOnProtocolViolation(false)
        .build();
    this.writeBuffer = new WriteBufferWaterMark(maxWriteQueueBytes / 2, maxWriteQueueBytes);
  }

  /** Why a request cannot be upgraded, or null if it can. */
  public static Refusal check(HttpServerRequest request) {
    if (!request.canUpgradeToWebSocket()) {
      return Refusal.NOT_AN_UPGRADE;
    }
    if (!"13".equals(request.getHeader("Sec-WebSocket-Version"))) {
      return Refusal.UNSUPPORTED_VERSION;
    }
    String key = request.getHeader("Sec-WebSocket-Key");
    if (key == null || decodedLength(key.trim()) != KEY_BYTES) {
      return Refusal.BAD_KEY;
    }
    return null;
  }

  /**
   * Answers a request that {@link #check} accepted with 101 and takes over its connection; call on
   * the request's event loop. The socket reads nothing until {@link PeerSocket#listen}.
   */
  public Future<PeerSocket> accept(HttpServerRequest request) {
    ContextInternal context = ((ContextInternal) Vertx.currentContext()).unwrap();
    request.response()
        .putHeader("Upgrade", "websocket")
        .putHeader("Connection", "Upgrade")
        .putHeader("Sec-WebSocket-Accept", acceptFor(request.getHeader("Sec-WebSocket-Key").trim()));
    HttpConnection upgraded = request.connection();
    return request.toNetSocket().map(socket -> install((NetSocketInternal) socket, upgraded, context));
  }

  private PeerSocket install(NetSocketInternal socket, HttpConnection upgraded, ContextInternal context) {
    ChannelPipeline pipeline = socket.channelHandlerContext().pipeline();
    Channel channel = pipeline.channel();
    // Each Vert.x connection object listens on the channel's close with a promise of its own;
    // nobody waits on them once the PeerSocket owns the channel, and they would stay for its life.
    forget(channel, upgraded);
    forget(channel, socket);
    channel.config().setAutoRead(false);
    channel.config().setWriteBufferWaterMark(writeBuffer);
    // Removing Vert.x's handler drops its connection objects; the channel stays open.
    pipeline.remove("handler");
    // The HTTP idle timeout: the PeerSocket's own silence watch times it from now on.
    if (pipeline.get(IDLE_TIMER) != null) {
      pipeline.remove(IDLE_TIMER);
    }
    // No encoder: the PeerSocket writes whole frames (ServerFrames). No UTF-8 validator: the
    // connection checks each whole text message (MessageAssembler), far cheaper than per byte.
    PeerSocket peer = new PeerSocket(channel, context, decoding);
    pipeline.addLast(peer);
    return peer;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void forget(Channel channel, Object vertxConnection) {
    if (vertxConnection instanceof ConnectionBase connection
        && connection.closeFuture() instanceof GenericFutureListener listener) {
      channel.closeFuture().removeListener(listener);
    }
  }

  static String acceptFor(String key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1")
          .digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-1", e);
    }
  }

  private static int decodedLength(String base64) {
    try {
      return Base64.getDecoder().decode(base64).length;
    } catch (IllegalArgumentException e) {
      return -1;
    }
  }

  /** Why an upgrade is refused, with the HTTP status that says so. */
  public enum Refusal {
    NOT_AN_UPGRADE(426),
    UNSUPPORTED_VERSION(426),
    BAD_KEY(400);

    private final int status;

    Refusal(int status) {
      this.status = status;
    }

    public int status() {
      return status;
    }
  }
}
