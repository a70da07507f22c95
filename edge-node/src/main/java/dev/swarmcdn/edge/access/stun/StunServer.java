package dev.swarmcdn.edge.access.stun;

import dev.swarmcdn.kit.run.ListenFailure;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The edge's STUN endpoint (RFC 8489 Binding only): viewers behind NAT learn their public address
 * for WebRTC ICE from the edge they already use instead of a third-party server. One UDP socket on
 * a single event-loop thread; answering a Binding request is a few microseconds of work.
 */
public final class StunServer {

  /** Socket receive buffer: room for bursts of requests while the one thread is busy. */
  private static final int RECEIVE_BUFFER_BYTES = 1 << 20;
  private static final int MAX_UDP_PAYLOAD = 65535;

  private final StunServerConfig config;
  private final StunHandler handler;
  private final EventLoopGroup group;
  private final boolean ownsGroup;
  private final ChannelHandler tap;
  private final AtomicBoolean started = new AtomicBoolean();
  private volatile Channel channel;

  /** Runs on its own one-thread event loop, shut down by {@link #stop()}. */
  public StunServer(StunServerConfig config, MeterRegistry registry) {
    this(config, registry, ownGroup(), true, null);
  }

  /** Runs on {@code group}, which must be an NIO group and which {@link #stop()} leaves running. */
  public StunServer(StunServerConfig config, MeterRegistry registry, EventLoopGroup group) {
    this(config, registry, group, false, null);
  }

  /** For tests: {@code tap} sees every datagram before the STUN handler (and must pass it on). */
  static StunServer tapped(StunServerConfig config, MeterRegistry registry, ChannelHandler tap) {
    return new StunServer(config, registry, ownGroup(), true, tap);
  }

  /** Daemon thread: a forgotten stop() must not keep the JVM alive. */
  private static EventLoopGroup ownGroup() {
    return new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("edge-stun", true),
        NioIoHandler.newFactory());
  }

  private StunServer(StunServerConfig config, MeterRegistry registry, EventLoopGroup group,
      boolean ownsGroup, ChannelHandler tap) {
    this.config = config;
    this.handler = new StunHandler(new StunEncoder(config.software()), new StunMetrics(registry),
        config.maxDatagramBytes());
    this.group = group;
    this.ownsGroup = ownsGroup;
    this.tap = tap;
  }

  /** Binds the socket; fails if the port is taken. Once only: a stopped server stays stopped. */
  public Future<StunServer> start() {
    if (!started.compareAndSet(false, true)) {
      return Future.failedFuture(new IllegalStateException("STUN server already started"));
    }
    // One byte more than the limit, so an oversized datagram shows up as such instead of being
    // cut silently by the kernel to a size that might parse.
    int receiveBytes = Math.min(config.maxDatagramBytes() + 1, MAX_UDP_PAYLOAD);
    ChannelFuture bound = new Bootstrap()
        .group(group)
        .channel(NioDatagramChannel.class)
        .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(receiveBytes))
        .option(ChannelOption.SO_RCVBUF, RECEIVE_BUFFER_BYTES)
        .handler(tap == null ? handler : new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(tap, handler);
          }
        })
        .bind(config.host(), config.port());
    Promise<StunServer> started = Promise.promise();
    bound.addListener(done -> {
      if (done.isSuccess()) {
        channel = bound.channel();
        started.complete(this);
      } else {
        shutdownGroup().onComplete(ignored -> started.fail(
            ListenFailure.describe("--stun-port", String.valueOf(config.host()), config.port(), done.cause())));
      }
    });
    return started.future();
  }

  /** The bound port, once started: the one chosen when the config said 0. */
  public int port() {
    return localAddress().getPort();
  }

  public InetSocketAddress localAddress() {
    Channel bound = channel;
    if (bound == null) {
      throw new IllegalStateException("STUN server not started");
    }
    return (InetSocketAddress) bound.localAddress();
  }

  /** Closes the socket, and the event loop if this server made its own. Safe to call twice. */
  public Future<Void> stop() {
    Channel bound = channel;
    channel = null;
    Promise<Void> closed = Promise.promise();
    if (bound == null) {
      closed.complete();
    } else {
      bound.close().addListener(ignored -> closed.complete());
    }
    return closed.future().compose(ignored -> shutdownGroup());
  }

  private Future<Void> shutdownGroup() {
    Promise<Void> down = Promise.promise();
    if (!ownsGroup) {
      down.complete();
    } else {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).addListener(ignored -> down.complete());
    }
    return down.future();
  }
}
