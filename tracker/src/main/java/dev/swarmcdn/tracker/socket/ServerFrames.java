package dev.swarmcdn.tracker.socket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;

/**
 * The frames a server writes (RFC 6455 section 5.2: final, unmasked), each as one buffer: header
 * and payload written once, where Netty's encoder would copy a frame's payload a second time.
 */
final class ServerFrames {

  static final int TEXT = 0x1;
  static final int CLOSE = 0x8;
  static final int PING = 0x9;
  static final int PONG = 0xA;
  /** RFC 6455 section 5.5: control frames carry at most 125 bytes. */
  static final int MAX_CONTROL_PAYLOAD = 125;

  private static final int FINAL = 0x80;

  private ServerFrames() {}

  static ByteBuf text(ByteBufAllocator alloc, String text) {
    int length = ByteBufUtil.utf8Bytes(text);
    ByteBuf frame = header(alloc, TEXT, length);
    ByteBufUtil.reserveAndWriteUtf8(frame, text, length);
    return frame;
  }

  /** A ping or pong; the payload is not released. */
  static ByteBuf control(ByteBufAllocator alloc, int opcode, ByteBuf payload) {
    int length = Math.min(payload.readableBytes(), MAX_CONTROL_PAYLOAD);
    return header(alloc, opcode, length).writeBytes(payload, payload.readerIndex(), length);
  }

  /** A close frame with a status and as much of the reason as fits in a control frame. */
  static ByteBuf close(ByteBufAllocator alloc, int status, String reason) {
    byte[] text = reason == null ? new byte[0] : reason.getBytes(StandardCharsets.UTF_8);
    int length = Math.min(2 + text.length, MAX_CONTROL_PAYLOAD);
    return header(alloc, CLOSE, length).writeShort(status).writeBytes(text, 0, length - 2);
  }

  private static ByteBuf header(ByteBufAllocator alloc, int opcode, int length) {
    int header = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
    ByteBuf frame = alloc.buffer(header + length);
    frame.writeByte(FINAL | opcode);
    if (length < 126) {
      frame.writeByte(length);
    } else if (length <= 0xFFFF) {
      frame.writeByte(126).writeShort(length);
    } else {
      frame.writeByte(127).writeLong(length);
    }
    return frame;
  }
}
