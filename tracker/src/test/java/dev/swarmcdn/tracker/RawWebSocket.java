package dev.swarmcdn.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A WebSocket client written by hand on a plain socket, for the frames no well-behaved client
 * library sends: invalid UTF-8, unmasked frames, and a look at the exact bytes the server writes.
 */
final class RawWebSocket implements AutoCloseable {

  /** A frame as it came off the wire. */
  record Frame(int opcode, boolean last, byte[] payload) {
    int closeStatus() {
      return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
    }

    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  private RawWebSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.socket.setSoTimeout(5_000);
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /** Sends {@code request} as the handshake and answers the status line and headers that came back. */
  static String handshake(int port, String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      return readHead(new DataInputStream(socket.getInputStream()));
    }
  }

  /** Connects to {@code path} with a valid version 13 handshake, which must be accepted. */
  static RawWebSocket open(int port, String path) throws IOException {
    RawWebSocket ws = new RawWebSocket(new Socket("127.0.0.1", port));
    String key = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    ws.out.write(request(path, key, "13").getBytes(StandardCharsets.US_ASCII));
    String head = readHead(ws.in);
    assertEquals("HTTP/1.1 101 Switching Protocols", head.lines().findFirst().orElse(""), head);
    return ws;
  }

  static String request(String path, String key, String version) {
    return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + (key == null ? "" : "Sec-WebSocket-Key: " + key + "\r\n")
        + "Sec-WebSocket-Version: " + version + "\r\n\r\n";
  }

  /** Writes one frame, masked as a client must unless {@code masked} is false. */
  void send(int opcode, boolean last, byte[] payload, boolean masked) throws IOException {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write((last ? 0x80 : 0) | opcode);
    int maskBit = masked ? 0x80 : 0;
    if (payload.length < 126) {
      frame.write(maskBit | payload.length);
    } else {
      frame.write(maskBit | 126);
      frame.write(payload.length >> 8);
      frame.write(payload.length & 0xFF);
    }
    byte[] mask = {0x11, 0x22, 0x33, 0x44};
    if (masked) {
      frame.write(mask);
    }
    for (int i = 0; i < payload.length; i++) {
      frame.write(masked ? payload[i] ^ mask[i % 4] : payload[i]);
    }
    out.write(frame.toByteArray());
    out.flush();
  }

  void sendText(String text) throws IOException {
    send(0x1, true, text.getBytes(StandardCharsets.UTF_8), true);
  }

  /** The next frame from the server, which must not be masked. */
  Frame next() throws IOException {
    int first = in.readUnsignedByte();
    int second = in.readUnsignedByte();
    assertEquals(0, second & 0x80, "a server never masks its frames");
    long length = second & 0x7F;
    if (length == 126) {
      length = in.readUnsignedShort();
    } else if (length == 127) {
      length = in.readLong();
    }
    byte[] payload = new byte[(int) length];
    in.readFully(payload);
    return new Frame(first & 0x0F, (first & 0x80) != 0, payload);
  }

  /** The next frame that is not a text message. */
  Frame nextControl() throws IOException {
    while (true) {
      Frame frame = next();
      if (frame.opcode() != 0x1) {
        return frame;
      }
    }
  }

  /** True once the server has closed the TCP connection. */
  boolean closedByServer() throws IOException {
    return in.read() < 0;
  }

  private static String readHead(DataInputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.append((char) b);
    }
    return head.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
