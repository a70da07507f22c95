package dev.swarmcdn.edge.forwarding.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.impl.HttpClientConnectionInternal;
import java.io.IOException;

/**
 * Fails an upstream response whose end is followed, in the same read, by bytes nobody asked for: a
 * body longer than its Content-Length, or a second response to one request. HTTP/1.1 ends the body
 * where Content-Length says, so Netty's decoder would end the response on time and keep the rest as
 * the start of a next response: the object would be stored and served cut short. RFC 9112 section
 * 6.3 only allows a client to discard such data; a cache must not take the response as whole.
 * Instead the end of the response is withheld and the connection fails, so the fill breaks off like
 * any other broken body: nothing stored, waiters reset.
 *
 * <p>How it sees the rest: a handler before the decoder holds on to each buffer read from the socket
 * while the decoder works through it. The decoder reads straight from that buffer when it holds
 * nothing from an earlier read (Netty's merge cumulator), so whatever the buffer still has readable
 * when the response ends is what follows it. When the decoder did hold bytes from before (a head
 * split across reads), it copies the new buffer whole and this sees nothing: a miss, never a false
 * alarm. Bytes that arrive in a later read find a connection already back in the pool and fail the
 * next exchange on it, not this one.
 */
final class OverrunGuard {

  /** A response followed by bytes that belong to no request. */
  static final class OverrunException extends IOException {
    OverrunException(int extra) {
      super("upstream sent " + extra + " bytes past the end of its response (body longer than its Content-Length?)");
    }
  }

  /** Vert.x's name for the HTTP/1.x codec of a client connection. */
  static final String CODEC = "codec";

  private ByteBuf reading;
  private boolean interim;

  private OverrunGuard() {}

  /** For the client's connect handler: guards an HTTP/1.1 connection, leaves others alone. */
  static void install(HttpConnection connection) {
    if (!(connection instanceof HttpClientConnectionInternal internal)) {
      return;
    }
    install(internal.channelHandlerContext().pipeline());
  }

  /** Around the pipeline's HTTP codec, if it has one. */
  static void install(ChannelPipeline pipeline) {
    if (pipeline.get(CODEC) == null) {
      return;
    }
    OverrunGuard guard = new OverrunGuard();
    pipeline.addBefore(CODEC, "overrun-reads", guard.new Reads());
    pipeline.addAfter(CODEC, "overrun-check", guard.new Check());
  }

  /** Before the decoder: the buffer being decoded, kept readable until the decoder is done with it. */
  private final class Reads extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (!(msg instanceof ByteBuf buffer)) {
        ctx.fireChannelRead(msg);
        return;
      }
      reading = buffer.retain();
      try {
        ctx.fireChannelRead(msg);
      } finally {
        reading = null;
        buffer.release();
      }
    }
  }

  /** After the decoder: at a final response's end, anything left in the read is an overrun. */
  private final class Check extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpResponse head) {
        // 1xx responses are followed by the final one, in the same read or not.
        interim = head.status().codeClass() == HttpStatusClass.INFORMATIONAL;
      }
      if (msg instanceof LastHttpContent && !interim && reading != null && reading.isReadable()) {
        int extra = reading.readableBytes();
        ReferenceCountUtil.release(msg);
        ctx.fireExceptionCaught(new OverrunException(extra));
        return;
      }
      ctx.fireChannelRead(msg);
    }
  }
}
