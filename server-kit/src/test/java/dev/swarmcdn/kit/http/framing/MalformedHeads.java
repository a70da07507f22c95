package dev.swarmcdn.kit.http.framing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The request heads every server of ours must refuse with 400 and a closed connection, and the raw
 * socket that checks it: each is sent with an honest request right behind it on the same
 * connection, which must never be answered. Shared by the servers' tests (test-jar).
 */
public final class MalformedHeads {

  /** {@code %s} is the path: one the server would answer 200 to, were the head well formed. */
  public static final List<String> HEADS = List.of(
      // RFC 9112 6.1: both framings at once; the 0-chunk leaves the next request to be read.
      "POST %s HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      "POST %s HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 40\r\n\r\n0\r\n\r\n",
      // RFC 9112 3.2
      "GET %s HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n",
      "GET %s HTTP/1.1\r\n\r\n",
      // RFC 3986 2.1: in the path, the query, and cut short at the end
      "GET %s/%%zz HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET %s?token=%%g1 HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET %s%% HTTP/1.1\r\nHost: x\r\n\r\n");

  private MalformedHeads() {}

  /** Sends {@code head} (a {@link #HEADS} entry) then an honest GET of {@code path}: one 400, then closed. */
  public static void assertRefused(int port, String head, String path) throws IOException {
    String answer = exchange(port, head.formatted(path) + "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
    assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
    assertTrue(answer.contains("\r\n\r\nbad request: "), "one short line says why: " + answer);
    assertEquals(1, answer.split("HTTP/1.1 ", -1).length - 1, "only one answer: " + answer);
  }

  /** Sends bytes, reads until the server closes; a server that keeps the connection open fails. */
  public static String exchange(int port, String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      return readUntilClosed(socket.getInputStream());
    }
  }

  public static String readUntilClosed(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
      }
    } catch (SocketTimeoutException stillOpen) {
      throw new AssertionError("connection still open after: " + out.toString(StandardCharsets.ISO_8859_1));
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }
}
