package dev.swarmcdn.edge.access.stun;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/** A plain blocking UDP socket on 127.0.0.1 talking to the server under test, every wait bounded. */
final class StunUdpClient implements AutoCloseable {

  private final DatagramSocket socket;
  private final InetSocketAddress server;

  StunUdpClient(int serverPort) throws IOException {
    this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    this.socket.setReceiveBufferSize(1 << 20);
    this.server = new InetSocketAddress(InetAddress.getLoopbackAddress(), serverPort);
  }

  InetSocketAddress localAddress() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  void send(byte[] datagram) throws IOException {
    socket.send(new DatagramPacket(datagram, datagram.length, server));
  }

  /** The next datagram to arrive within {@code timeout}, or empty. */
  Optional<byte[]> receive(Duration timeout) throws IOException {
    socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
    byte[] buffer = new byte[65536];
    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
    try {
      socket.receive(packet);
      return Optional.of(Arrays.copyOf(buffer, packet.getLength()));
    } catch (SocketTimeoutException e) {
      return Optional.empty();
    }
  }

  /**
   * The answer carrying {@code transactionId}, skipping other datagrams, within {@code timeout}.
   * Needed after floods, when answers to earlier requests may still be queued on this socket.
   */
  Optional<byte[]> receiveAnswer(byte[] transactionId, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return Optional.empty();
      }
      Optional<byte[]> datagram = receive(Duration.ofNanos(left));
      if (datagram.isEmpty()) {
        return datagram;
      }
      byte[] bytes = datagram.get();
      if (bytes.length >= 20 && Arrays.equals(bytes, 8, 20, transactionId, 0, 12)) {
        return datagram;
      }
    }
  }

  /** Sends {@code request} and waits for its answer; resends a few times since UDP may lose it. */
  Optional<byte[]> exchange(byte[] request, byte[] transactionId) throws IOException {
    for (int attempt = 0; attempt < 5; attempt++) {
      send(request);
      Optional<byte[]> answer = receiveAnswer(transactionId, Duration.ofSeconds(1));
      if (answer.isPresent()) {
        return answer;
      }
    }
    return Optional.empty();
  }

  @Override
  public void close() {
    socket.close();
  }
}
