package dev.swarmcdn.tracker.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Joins a connection's WebSocket frames into messages, under two limits: a message larger than
 * {@code maxBytes} is dropped as it arrives (nothing more of it is kept) and reported once
 * complete, so the connection can go on; one growing past {@code hardBytes} is reported at once,
 * and the connection is to be closed. An aggregating decoder would buffer up to its limit first.
 * A message in one frame, the usual case, is decoded from the frame as it is; only a fragmented one
 * is copied, into a buffer that lives until it is complete.
 */
final class MessageAssembler {

  enum Outcome {
    /** A frame of a message not complete yet, or a control frame. */
    PARTIAL,
    /** A complete text message: see {@link Assembled#text()}. */
    TEXT,
    /** A complete binary message, which this protocol has no use for. */
    BINARY,
    /** A complete message larger than {@code maxBytes}. */
    TOO_LARGE,
    /** A message past {@code hardBytes}. */
    OVERFLOW,
    /** A text message that is not valid UTF-8, which RFC 6455 makes a reason to close. */
    INVALID_UTF8
  }

  record Assembled(Outcome outcome, String text) {
    static final Assembled PARTIAL = new Assembled(Outcome.PARTIAL, null);
    static final Assembled BINARY = new Assembled(Outcome.BINARY, null);
    static final Assembled TOO_LARGE = new Assembled(Outcome.TOO_LARGE, null);
    static final Assembled OVERFLOW = new Assembled(Outcome.OVERFLOW, null);
    static final Assembled INVALID_UTF8 = new Assembled(Outcome.INVALID_UTF8, null);
  }

  private final int maxBytes;
  private final int hardBytes;
  private ByteBuf text;
  private long length;
  private boolean binary;
  private boolean oversized;

  MessageAssembler(int maxBytes, int hardBytes) {
    this.maxBytes = maxBytes;
    this.hardBytes = hardBytes;
  }

  /** Takes a frame the caller still owns: nothing of it is kept past the call. */
  Assembled accept(WebSocketFrame frame) {
    boolean first = frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame;
    if (first) {
      discard();
      length = 0;
      binary = frame instanceof BinaryWebSocketFrame;
      oversized = false;
    } else if (!(frame instanceof ContinuationWebSocketFrame)) {
      return Assembled.PARTIAL;
    }
    ByteBuf payload = frame.content();
    length += payload.readableBytes();
    if (length > hardBytes) {
      discard();
      return Assembled.OVERFLOW;
    }
    if (length > maxBytes) {
      oversized = true;
      discard();
    }
    if (!frame.isFinalFragment()) {
      if (!binary && !oversized) {
        if (text == null) {
          text = Unpooled.buffer(payload.readableBytes() * 2);
        }
        text.writeBytes(payload, payload.readerIndex(), payload.readableBytes());
      }
      return Assembled.PARTIAL;
    }
    if (binary) {
      return Assembled.BINARY;
    }
    if (oversized) {
      return Assembled.TOO_LARGE;
    }
    if (text == null) {
      return decoded(payload);
    }
    text.writeBytes(payload, payload.readerIndex(), payload.readableBytes());
    Assembled complete = decoded(text);
    discard();
    return complete;
  }

  /**
   * Decoding replaces bad UTF-8 with U+FFFD, so only a text holding that character is decoded again,
   * strictly, to tell a replaced sequence from one the peer sent. Tracker messages are ASCII: the
   * search on them costs nothing, where validating each byte as it arrives would cost every frame.
   */
  private static Assembled decoded(ByteBuf bytes) {
    String decoded = bytes.toString(StandardCharsets.UTF_8);
    if (decoded.indexOf('\uFFFD') >= 0 && !isStrictUtf8(bytes)) {
      return Assembled.INVALID_UTF8;
    }
    return new Assembled(Outcome.TEXT, decoded);
  }

  private static boolean isStrictUtf8(ByteBuf bytes) {
    try {
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(bytes.nioBuffer());
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private void discard() {
    if (text != null) {
      text.release();
      text = null;
    }
  }
}
