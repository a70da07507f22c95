package dev.swarmcdn.edge.access.stun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import java.io.File;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A real STUN client, coturn's turnutils_stunclient, against the server on 127.0.0.1. */
class StunClientInteropTest {

  private static final String CLIENT = "turnutils_stunclient";

  /** Where requests came from, as the server saw them: the truth the client's report must match. */
  private final Queue<InetSocketAddress> senders = new ConcurrentLinkedQueue<>();
  private SimpleMeterRegistry registry;
  private StunServer server;

  @BeforeEach
  void start() throws Exception {
    registry = new SimpleMeterRegistry();
    server = StunServer.tapped(StunServerConfig.of("127.0.0.1", 0), registry, new SenderTap(senders))
        .start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    server.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void turnutilsStunclientLearnsItsAddress() throws Exception {
    String output = run(client(), "-p", String.valueOf(server.port()), "127.0.0.1");

    assertFalse(senders.isEmpty(), "the server saw the client's request");
    Set<InetSocketAddress> distinct = Set.copyOf(senders);
    assertEquals(1, distinct.size(), "one client socket: " + distinct);
    InetSocketAddress client = distinct.iterator().next();
    assertEquals("127.0.0.1", client.getAddress().getHostAddress());
    assertTrue(output.contains("UDP reflexive addr: 127.0.0.1:" + client.getPort() + "\n"),
        "client reports 127.0.0.1:" + client.getPort() + " as its address; it said:\n" + output);
    assertTrue(registry.get(StunMetrics.REQUESTS).tag("response", StunMetrics.RESPONSE_SUCCESS)
        .counter().count() >= 1);
  }

  @ChannelHandler.Sharable
  private static final class SenderTap extends ChannelInboundHandlerAdapter {
    private final Queue<InetSocketAddress> senders;

    SenderTap(Queue<InetSocketAddress> senders) {
      this.senders = senders;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      senders.add(((DatagramPacket) msg).sender());
      ctx.fireChannelRead(msg);
    }
  }

  private static String client() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, CLIENT);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return fail(CLIENT + " not found on PATH: install Debian's coturn package (scripts/install-deps does)");
  }

  private static String run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        fail(String.join(" ", command) + " did not finish within 15 s (it waits forever for an answer that never comes)");
      }
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, process.exitValue(), "exit status; output:\n" + output);
      return output;
    } finally {
      process.destroyForcibly();
    }
  }
}
