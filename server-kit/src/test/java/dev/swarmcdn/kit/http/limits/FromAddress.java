package dev.swarmcdn.kit.http.limits;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 GET from a chosen loopback address (127.0.0.1, 127.0.0.2, ...: Linux routes all of
 * 127/8 to the loopback interface), so that tests can be two clients at once. For every server's
 * tests of the per-client rate limit.
 */
public final class FromAddress {

  private FromAddress() {}

  /** The answer's status and head. */
  public record Answer(int status, String head, String body) {
    /** A header's value, or null. */
    public String header(String name) {
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
          return line.substring(colon + 1).trim();
        }
      }
      return null;
    }
  }

  /** Whether this machine lets a client bind {@code address} (Linux does for all of 127/8). */
  public static boolean canBind(String address) {
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(address, 0));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** GET {@code path} on 127.0.0.1:{@code port} from {@code from}, extra header lines included as given. */
  public static Answer get(String from, int port, String path, String... headerLines) throws IOException {
    try (Socket socket = new Socket()) {
      socket.setSoTimeout(10_000);
      socket.bind(new InetSocketAddress(from, 0));
      socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
          + "\r\nConnection: close\r\n");
      for (String line : headerLines) {
        request.append(line).append("\r\n");
      }
      socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          break;
        }
        head.write(b);
      }
      String headText = head.toString(StandardCharsets.ISO_8859_1).strip();
      int status = Integer.parseInt(headText.split(" ", 3)[1].trim());
      // A switched protocol (a WebSocket) stays open: its head is the whole answer.
      return new Answer(status, headText, status == 101 ? "" : readAll(in));
    }
  }

  private static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    in.transferTo(out);
    return out.toString(StandardCharsets.ISO_8859_1);
  }
}
