package dev.swarmcdn.edge;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An origin that announces {@code announced} bytes and sends only {@code sent} before closing the
 * connection: the short body a broken upstream or a cut network produces.
 */
final class TruncatingOrigin implements AutoCloseable {

  private final ServerSocket socket;
  private final AtomicInteger requests = new AtomicInteger();
  private final Thread acceptor;

  TruncatingOrigin(int announced, int sent) throws IOException {
    socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = new Thread(() -> {
      while (!socket.isClosed()) {
        try (Socket client = socket.accept()) {
          client.getInputStream().read(new byte[8192]);
          requests.incrementAndGet();
          OutputStream out = client.getOutputStream();
          out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + announced
              + "\r\nCache-Control: max-age=600\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
          out.write(new byte[sent]);
          out.flush();
        } catch (IOException closed) {
          // Stopped, or the edge hung up: either way, next.
        }
      }
    }, "truncating-origin");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  String url() {
    return "http://127.0.0.1:" + socket.getLocalPort();
  }

  int requests() {
    return requests.get();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
