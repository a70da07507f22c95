package dev.swarmcdn.tracker.session;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import java.nio.charset.StandardCharsets;

/**
 * Joins a connection's WebSocket frames into messages, under two limits: a message larger than
 * {@code maxBytes} is dropped as it arrives (nothing more of it is kept) and reported once
 * complete, so the connection can go on; one growing past {@code hardBytes} is reported at once,
 * and the connection is to be closed. Vert.x's own aggregation would buffer up to its limit first.
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
    OVERFLOW
  }

  record Assembled(Outcome outcome, String text) {
    static final Assembled PARTIAL = new Assembled(Outcome.PARTIAL, null);
    static final Assembled BINARY = new Assembled(Outcome.BINARY, null);
    static final Assembled TOO_LARGE = new Assembled(Outcome.TOO_LARGE, null);
    static final Assembled OVERFLOW = new Assembled(Outcome.OVERFLOW, null);
  }

  private final int maxBytes;
  private final int hardBytes;
  private Buffer text;
  private long length;
  private boolean binary;
  private boolean oversized;

  MessageAssembler(int maxBytes, int hardBytes) {
    this.maxBytes = maxBytes;
    this.hardBytes = hardBytes;
  }

  Assembled accept(WebSocketFrame frame) {
    if (frame.isText() || frame.isBinary()) {
      text = frame.isText() ? Buffer.buffer() : null;
      length = 0;
      binary = frame.isBinary();
      oversized = false;
    } else if (!frame.isContinuation()) {
      return Assembled.PARTIAL;
    }
    Buffer payload = frame.binaryData();
    length += payload.length();
    if (length > hardBytes) {
      text = null;
      return Assembled.OVERFLOW;
    }
    if (length > maxBytes) {
      oversized = true;
      text = null;
    } else if (text != null) {
      text.appendBuffer(payload);
    }
    if (!frame.isFinal()) {
      return Assembled.PARTIAL;
    }
    if (binary) {
      return Assembled.BINARY;
    }
    if (oversized) {
      return Assembled.TOO_LARGE;
    }
    String complete = text.toString(StandardCharsets.UTF_8);
    text = null;
    return new Assembled(Outcome.TEXT, complete);
  }
}
