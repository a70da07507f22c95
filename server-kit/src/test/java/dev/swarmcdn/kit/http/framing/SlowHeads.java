package dev.swarmcdn.kit.http.framing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** A slowloris client for the servers' head-deadline tests. */
public final class SlowHeads {

  private SlowHeads() {
  }

  /**
   * Starts a request head for {@code path} on {@code socket} and sends one more header byte every
   * 200 ms on {@code trickler}: never idle, never done. The flag turns true once the server closed
   * the connection.
   */
  public static AtomicBoolean trickle(Socket socket, String path, ScheduledExecutorService trickler)
      throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n").getBytes(StandardCharsets.ISO_8859_1));
    AtomicBoolean closed = new AtomicBoolean();
    trickler.scheduleAtFixedRate(() -> {
      try {
        out.write('X');
        out.flush();
      } catch (IOException e) {
        closed.set(true);
      }
    }, 200, 200, TimeUnit.MILLISECONDS);
    InputStream in = socket.getInputStream();
    Thread reader = new Thread(() -> {
      try {
        while (in.read() >= 0) {
          // drain until the server closes
        }
      } catch (IOException ignored) {
        // a reset counts as closed
      }
      closed.set(true);
    });
    reader.setDaemon(true);
    reader.start();
    return closed;
  }
}
