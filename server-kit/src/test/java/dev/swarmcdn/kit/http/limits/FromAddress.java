package dev.swarmcdn.kit.http.limits;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

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
      String text = readAll(socket.getInputStream());
      int end = text.indexOf("\r\n\r\n");
      String head = end < 0 ? text : text.substring(0, end);
      String status = head.split(" ", 3)[1];
      return new Answer(Integer.parseInt(status.toLowerCase(Locale.ROOT).trim()), head,
          end < 0 ? "" : text.substring(end + 4));
    }
  }

  private static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    in.transferTo(out);
    return out.toString(StandardCharsets.ISO_8859_1);
  }
}
