package dev.swarmcdn.edge;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.impl.HttpServerConnection;

/**
 * Caps the bytes a client connection's socket holds that the network has not taken yet
 * ({@code TCP_NOTSENT_LOWAT}, Linux's epoll transport only; elsewhere nothing changes).
 *
 * <p>Without it the kernel takes a whole cached segment at once whenever its send buffer has grown
 * large enough, and which connection the client side drains first decides who waits: under load the
 * slowest tenth of 64 connections waited several times as long as the median. With it the socket
 * asks for more only once what it holds has left, so the edge hands out each body a piece at a time
 * ({@code BodyStreamer}) and the connections of a loop take turns. It limits bytes waiting to be
 * sent, not bytes in flight: the congestion window, and so a single viewer's throughput on a long
 * path, is untouched.
 */
final class UnsentBytesLimit {

  /** Half of a {@code BodyStreamer} piece: the next piece is asked for before the socket runs dry. */
  static final long BYTES = 128 * 1024;

  /** Netty's epoll option, looked up by name: the native transport is a runtime dependency. */
  private static final ChannelOption<Long> NOTSENT_LOWAT =
      ChannelOption.valueOf("io.netty.channel.epoll.EpollChannelOption#TCP_NOTSENT_LOWAT");

  private UnsentBytesLimit() {}

  /** For {@code HttpServer.connectionHandler}: applies the cap to the connection's socket. */
  static void apply(HttpConnection connection) {
    if (connection instanceof HttpServerConnection internal) {
      Channel channel = internal.channelHandlerContext().channel();
      // A transport without the option refuses it by returning false: nothing to do then.
      channel.config().setOption(NOTSENT_LOWAT, BYTES);
    }
  }
}
