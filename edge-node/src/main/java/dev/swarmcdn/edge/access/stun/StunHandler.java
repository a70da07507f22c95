package dev.swarmcdn.edge.access.stun;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers Binding requests and silently drops everything else, counting why. Anything the port
 * receives is untrusted, so nothing a datagram contains may throw out of here and nothing but a
 * well-formed Binding request earns a reply. The reply is at most a few dozen bytes longer than the
 * request, which keeps the port a poor traffic amplifier for spoofed sources.
 */
@ChannelHandler.Sharable
public final class StunHandler extends SimpleChannelInboundHandler<DatagramPacket> {

  private static final Logger LOG = LoggerFactory.getLogger(StunHandler.class);

  private final StunEncoder encoder;
  private final StunMetrics metrics;
  private final int maxDatagramBytes;

  public StunHandler(StunEncoder encoder, StunMetrics metrics, int maxDatagramBytes) {
    this.encoder = encoder;
    this.metrics = metrics;
    this.maxDatagramBytes = maxDatagramBytes;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
    try {
      answer(ctx, packet);
    } catch (RuntimeException e) {
      metrics.dropped(DropReason.INTERNAL_ERROR);
      LOG.warn("STUN datagram from {} not handled", packet.sender(), e);
    }
  }

  private void answer(ChannelHandlerContext ctx, DatagramPacket packet) {
    ByteBuf content = packet.content();
    if (content.readableBytes() > maxDatagramBytes) {
      metrics.dropped(DropReason.OVERSIZED);
      return;
    }
    ParseResult parsed = StunParser.parse(content);
    if (parsed instanceof ParseResult.Rejected rejected) {
      metrics.dropped(rejected.reason());
      return;
    }
    StunMessage request = ((ParseResult.Parsed) parsed).message();
    if (request.messageClass() != StunProtocol.CLASS_REQUEST) {
      metrics.dropped(DropReason.NOT_REQUEST);
      return;
    }
    if (request.method() != StunProtocol.METHOD_BINDING) {
      metrics.dropped(DropReason.UNKNOWN_METHOD);
      return;
    }
    InetSocketAddress sender = packet.sender();
    List<Integer> unknown = request.unknownComprehensionRequired();
    ByteBuf response;
    if (unknown.isEmpty()) {
      response = encoder.bindingSuccess(ctx.alloc(), request, sender);
      metrics.answered();
    } else {
      response = encoder.unknownAttributes(ctx.alloc(), request, unknown);
      metrics.rejectedUnknownAttributes();
    }
    ctx.writeAndFlush(new DatagramPacket(response, sender)).addListener((ChannelFutureListener) sent -> {
      if (!sent.isSuccess()) {
        metrics.dropped(DropReason.SEND_FAILED);
        LOG.debug("STUN answer to {} not sent", sender, sent.cause());
      }
    });
  }

  /** A failed read or write on a UDP socket concerns one datagram, never the socket: keep it open. */
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("STUN socket error", cause);
  }
}
