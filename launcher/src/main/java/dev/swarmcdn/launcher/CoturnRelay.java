package dev.swarmcdn.launcher;

import dev.swarmcdn.kit.run.Executables;
import dev.swarmcdn.kit.run.ParentDeath;
import dev.swarmcdn.tracker.TurnConfig;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A coturn TURN server ({@code turnserver}) run as a child process for one machine's viewers: the
 * demo's relay, and the one the relay tests go through. It authenticates with a shared secret made
 * at start (coturn's {@code use-auth-secret}, the credentials the tracker mints per viewer), on one
 * UDP/TCP port of {@code address}, with relay ports in a bounded range, no TLS, no CLI, and a log
 * file. It relays only to {@code address} itself, where every viewer on this machine is (libwebrtc
 * and Chromium gather the interface address, never loopback): not an open relay for the network.
 * It dies with this JVM, however the JVM ends ({@link ParentDeath}).
 */
public final class CoturnRelay implements AutoCloseable {

  /** Relay ports per server: one a viewer's peer connection, with room for many viewers. */
  static final int RELAY_PORTS = 200;
  private static final Duration READY_BOUND = Duration.ofSeconds(15);
  private static final Duration STOP_BOUND = Duration.ofSeconds(5);

  private final Process process;
  private final String address;
  private final int port;
  private final String secret;
  private final Path logFile;

  private CoturnRelay(Process process, String address, int port, String secret, Path logFile) {
    this.process = process;
    this.address = address;
    this.port = port;
    this.secret = secret;
    this.logFile = logFile;
  }

  /** {@code turnserver} on the PATH (Debian's coturn package), if installed. */
  public static Optional<Path> installed() {
    return Executables.onPath("turnserver");
  }

  /**
   * Starts {@code turnserver} on {@code address} (an IPv4 address of this machine) and waits until
   * it answers a STUN request; its configuration (secret included, readable by this user only) and
   * its log go in {@code dir}.
   *
   * @throws IOException when it does not start or answer in time, with the end of its log
   */
  public static CoturnRelay start(Path turnserver, String address, Path dir) throws IOException {
    Files.createDirectories(dir);
    String secret = Demo.randomSecret();
    int port = freeUdpPort(address);
    // Not the ephemeral ports' busiest part; a port in use is skipped by coturn.
    int minPort = 50_000 + ThreadLocalRandom.current().nextInt(10_000 - RELAY_PORTS);
    Path config = dir.resolve("turnserver.conf");
    Path log = dir.resolve("turnserver.log");
    Files.deleteIfExists(config);
    Files.createFile(config, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(config, String.join("\n", List.of(
        "listening-ip=" + address,
        "listening-port=" + port,
        "relay-ip=" + address,
        "min-port=" + minPort,
        "max-port=" + (minPort + RELAY_PORTS - 1),
        "use-auth-secret",
        "static-auth-secret=" + secret,
        "realm=swarmcdn",
        // Peers are this machine's viewers: reach the interface address, nothing else.
        "denied-peer-ip=0.0.0.0-255.255.255.255",
        "denied-peer-ip=::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
        "allowed-peer-ip=" + address,
        "no-cli",
        "no-tls",
        "no-dtls",
        "no-multicast-peers",
        "no-software-attribute",
        "log-file=" + log.toAbsolutePath(),
        "simple-log",
        "no-stdout-log",
        "pidfile=" + dir.resolve("turnserver.pid").toAbsolutePath(),
        // Its own user database, unused with a shared secret: not the system's /var/lib/turn.
        "userdb=" + dir.resolve("turndb").toAbsolutePath())) + "\n", StandardCharsets.UTF_8);
    Process process = ParentDeath.start(new ProcessBuilder(turnserver.toString(), "-c", config.toAbsolutePath().toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("turnserver.out").toFile())));
    CoturnRelay relay = new CoturnRelay(process, address, port, secret, log);
    try {
      relay.awaitAnswer();
      return relay;
    } catch (IOException e) {
      relay.close();
      throw e;
    }
  }

  /** {@code turn:ADDRESS:PORT?transport=udp}: what viewers are handed. */
  public String url() {
    return "turn:" + address + ":" + port + "?transport=udp";
  }

  /** The tracker's side: this relay's URL and secret, credentials good for {@code ttl}. */
  public TurnConfig turnConfig(Duration ttl) {
    return new TurnConfig(List.of(url()), secret, ttl);
  }

  public Path logFile() {
    return logFile;
  }

  public boolean isRunning() {
    return process.isAlive();
  }

  /** SIGTERM, then SIGKILL if it lingers. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(STOP_BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(STOP_BOUND.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** Waits until coturn answers STUN: then it listens. */
  private void awaitAnswer() throws IOException {
    if (!answersStun(READY_BOUND)) {
      throw new IOException("coturn did not answer on " + address + ":" + port + " within " + READY_BOUND.toSeconds()
          + " s" + (process.isAlive() ? "" : " (it exited with " + process.exitValue() + ")") + "; its log: " + logTail());
    }
  }

  /**
   * Whether this relay answers a STUN Binding request on its port within {@code bound}, asked
   * again every 200 ms while it runs: that it listens, as a viewer's first request finds it.
   */
  public boolean answersStun(Duration bound) throws IOException {
    long deadline = System.nanoTime() + bound.toNanos();
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), 0))) {
      socket.setSoTimeout(200);
      byte[] request = bindingRequest();
      byte[] answer = new byte[1500];
      while (System.nanoTime() < deadline && process.isAlive()) {
        socket.send(new DatagramPacket(request, request.length, InetAddress.getByName(address), port));
        try {
          DatagramPacket packet = new DatagramPacket(answer, answer.length);
          socket.receive(packet);
          if (packet.getLength() >= 20 && answer[0] == 0x01 && answer[1] == 0x01) {
            return true;
          }
        } catch (SocketTimeoutException notYet) {
          // not listening yet: ask again
        }
      }
    }
    return false;
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException e) {
      return "unreadable (" + e.getMessage() + ")";
    }
  }

  /** RFC 5389 Binding request: type 0x0001, no attributes, the magic cookie, a random transaction id. */
  private static byte[] bindingRequest() {
    byte[] transaction = new byte[12];
    ThreadLocalRandom.current().nextBytes(transaction);
    return ByteBuffer.allocate(20).putShort((short) 0x0001).putShort((short) 0).putInt(0x2112A442)
        .put(transaction).array();
  }

  private static int freeUdpPort(String address) throws IOException {
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), 0))) {
      return socket.getLocalPort();
    }
  }
}
