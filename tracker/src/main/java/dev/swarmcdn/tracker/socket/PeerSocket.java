package dev.swarmcdn.tracker.socket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.impl.ShutdownEvent;
import java.util.List;

/**
 * One peer's WebSocket after the upgrade: the only handler of its Netty pipeline, Netty's frame
 * decoder with each frame handled where it is decoded. Vert.x's own WebSocket keeps, per
 * connection, an outbound queue of its own and the HTTP connection it was upgraded from, together
 * several times what the tracker needs to know about a peer; this class keeps a channel and a
 * listener.
 *
 * <p>Frames reach the {@link Listener} on the connection's event loop, inside its Vert.x context,
 * so futures the listener chains complete where it runs. Sending is safe from any thread: a
 * message to a peer on another event loop is queued on that loop by Netty, and counted against
 * the channel's write-buffer bound, which is how {@link #sendText} knows a peer is not reading.
 */
public final class PeerSocket extends WebSocket13FrameDecoder implements Runnable {

  /** What happens on a peer's socket; every call on its event loop, inside its context. */
  public interface Listener {

    /**
     * A frame from the peer: text, binary or continuation data, or a ping or pong (already
     * answered). The frame is released after the call: copy what is to be kept.
     */
    void onFrame(WebSocketFrame frame);

    /** The peer broke RFC 6455 (an unmasked frame, a bad opcode, a frame past the hard limit); nothing more is read. */
    void onProtocolError(CorruptedWebSocketFrameException error);

    /** The connection is gone, whoever closed it. Called once. */
    void onClosed();
  }

  private final Channel channel;
  private final ContextInternal context;
  private Listener listener;
  /** Written to since the current {@link FlushBatch} began; event loop only. */
  private boolean inBatch;

  PeerSocket(Channel channel, ContextInternal context, WebSocketDecoderConfig decoding) {
    super(decoding);
    this.channel = channel;
    this.context = context;
  }

  /** Starts reading: frames that arrived before wait in the socket until now. Once, on the event loop. */
  public void listen(Listener listener) {
    this.listener = listener;
    channel.config().setAutoRead(true);
  }

  /**
   * Queues one text message, flushed with this pass of the event loop's batch ({@link FlushBatch});
   * from any thread. False when the peer has more unsent than the write-buffer bound allows: it is
   * not reading.
   */
  public boolean sendText(String text) {
    // Netty counts a write against the bound as soon as it is queued, from whichever thread.
    channel.write(ServerFrames.text(channel.alloc(), text), channel.voidPromise());
    if (channel.eventLoop().inEventLoop()) {
      FlushBatch.add(this);
    } else {
      // Runs after the write just queued: see run().
      channel.eventLoop().execute(this);
    }
    return channel.isWritable();
  }

  /**
   * Whether {@code bytes} more can be queued and leave at least {@code reserve} bytes below the
   * write-buffer bound; from any thread (Netty counts queued bytes as they are queued).
   */
  public boolean hasRoom(int bytes, int reserve) {
    return channel.bytesBeforeUnwritable() - bytes >= reserve;
  }

  /** A write queued from another thread has run: flush it with the batch. */
  @Override
  public void run() {
    FlushBatch.add(this);
  }

  EventLoop eventLoop() {
    return channel.eventLoop();
  }

  /** True if this socket was not in the current batch yet (and now is). */
  boolean markWritten() {
    if (inBatch) {
      return false;
    }
    inBatch = true;
    return true;
  }

  void flushWritten() {
    inBatch = false;
    channel.flush();
  }

  public void ping() {
    channel.writeAndFlush(ServerFrames.control(channel.alloc(), ServerFrames.PING, Unpooled.EMPTY_BUFFER),
        channel.voidPromise());
  }

  /** Sends a close frame and then ends the connection: the tracker does not wait for the peer's answer. */
  public void close(int code, String reason) {
    if (channel.isActive()) {
      channel.writeAndFlush(ServerFrames.close(channel.alloc(), code, reason)).addListener(ChannelFutureListener.CLOSE);
    }
  }

  /** Ends the TCP connection now, without a close frame (which would wait behind what the peer does not read). */
  public void abort() {
    channel.close();
  }

  /** Runs {@code task} on this socket's event loop, inside its context, after what runs now. */
  public void execute(Runnable task) {
    context.runOnContext(ignored -> task.run());
  }

  public boolean isOpen() {
    return channel.isActive();
  }

  /**
   * Netty's decoding, with each frame handled here as it comes instead of passed down the pipeline:
   * one handler a connection, not two (a pipeline entry weighs as much as a small object graph).
   */
  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    super.decode(ctx, in, out);
    for (int i = 0; i < out.size(); i++) {
      handle(ctx, (WebSocketFrame) out.get(i));
    }
    out.clear();
  }

  private void handle(ChannelHandlerContext ctx, WebSocketFrame frame) {
    try {
      if (frame instanceof CloseWebSocketFrame close) {
        // Echo the peer's status, as RFC 6455 asks, then end the connection.
        int status = close.statusCode() < 0 ? WebSocketCloseStatus.NORMAL_CLOSURE.code() : close.statusCode();
        ctx.writeAndFlush(ServerFrames.close(ctx.alloc(), status, null)).addListener(ChannelFutureListener.CLOSE);
        return;
      }
      if (frame instanceof PingWebSocketFrame) {
        ctx.writeAndFlush(ServerFrames.control(ctx.alloc(), ServerFrames.PONG, frame.content()), ctx.voidPromise());
      }
      context.dispatch(frame, listener::onFrame);
    } finally {
      frame.release();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof CorruptedWebSocketFrameException corrupted) {
      context.dispatch(corrupted, listener::onProtocolError);
    }
    // Anything else is the socket failing (a reset): closing it reports onClosed.
    ctx.close();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof ShutdownEvent) {
      close(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE.code(), "tracker shutting down");
      ReferenceCountUtil.release(event);
    } else {
      super.userEventTriggered(ctx, event);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    super.channelInactive(ctx);
    if (listener != null) {
      context.dispatch(listener::onClosed);
    }
  }
}
