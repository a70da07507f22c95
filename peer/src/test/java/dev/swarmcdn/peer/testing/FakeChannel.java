package dev.swarmcdn.peer.testing;

import dev.swarmcdn.peer.swarm.DataChannel;
import dev.swarmcdn.protocol.peer.PeerCodec;
import dev.swarmcdn.protocol.peer.PeerFrame;
import dev.swarmcdn.protocol.peer.PeerFrameException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One end of an in-memory data channel pair (web-player/test/support/fake-channel.js): what one
 * end sends, the other receives through the clock's {@code execute}, in order, after the sender's
 * current task (so nothing reenters the sender). {@link #bufferedAmount} is whatever a test sets;
 * {@link #drain} sets it and fires {@code onBufferedAmountLow} as a real channel does.
 */
public final class FakeChannel implements DataChannel {
  private final FakeClock clock;
  private FakeChannel other;
  private Listener listener;
  private boolean open;
  private boolean closed;
  private long bufferedAmount;
  private long lowThreshold;
  private int closeEvents;
  private boolean queueing;
  private boolean refusing;
  /** Every message this end sent, for tests that read the wire. */
  public final List<byte[]> sent = new ArrayList<>();
  /** When each of them was sent (clock ms). */
  public final List<Long> sentAt = new ArrayList<>();

  private FakeChannel(FakeClock clock) {
    this.clock = clock;
  }

  /** Two connected ends, not yet open. */
  public static FakeChannel[] pair(FakeClock clock) {
    FakeChannel a = new FakeChannel(clock);
    FakeChannel b = new FakeChannel(clock);
    a.other = b;
    b.other = a;
    return new FakeChannel[] {a, b};
  }

  public FakeChannel other() {
    return other;
  }

  /** Opens both ends, each telling its listener at once. */
  public void open() {
    for (FakeChannel end : List.of(this, other)) {
      end.open = true;
      if (end.listener != null) {
        end.listener.onOpen();
      }
    }
  }

  @Override
  public void listen(Listener listener) {
    this.listener = listener;
  }

  @Override
  public boolean isOpen() {
    return open && !closed;
  }

  @Override
  public void send(ByteBuffer message) {
    if (!isOpen()) {
      throw new IllegalStateException("channel not open");
    }
    if (refusing) {
      throw new IllegalStateException("the transport refused the message");
    }
    byte[] copy = new byte[message.remaining()];
    message.get(copy);
    sent.add(copy);
    sentAt.add(clock.now());
    if (queueing) {
      bufferedAmount += copy.length;
    }
    FakeChannel to = other;
    clock.execute(() -> to.receive(copy, true));
  }

  /** Sends a text message, which a swarmcdn channel never carries. */
  public void sendText(String text) {
    byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    sent.add(bytes);
    sentAt.add(clock.now());
    FakeChannel to = other;
    clock.execute(() -> to.receive(bytes, false));
  }

  /** Sends raw bytes, valid frame or not. */
  public void sendRaw(byte... bytes) {
    send(ByteBuffer.wrap(bytes));
  }

  /** Encodes and sends a frame. */
  public void sendFrame(PeerFrame frame) {
    send(ByteBuffer.wrap(PeerCodec.encode(frame)));
  }

  private void receive(byte[] bytes, boolean binary) {
    if (isOpen() && listener != null) {
      listener.onMessage(ByteBuffer.wrap(bytes).asReadOnlyBuffer(), binary);
    }
  }

  @Override
  public long bufferedAmount() {
    return bufferedAmount;
  }

  /** From now on {@link #send} throws, as when the transport refuses a message. */
  public void refuseSends() {
    refusing = true;
  }

  /** From now on each message sent stays queued: it adds to the buffered amount until {@link #drain}. */
  public void queueing(boolean on) {
    queueing = on;
  }

  public void bufferedAmount(long bytes) {
    bufferedAmount = bytes;
  }

  /** The queue falls to {@code bytes}; {@code onBufferedAmountLow} fires if that crosses the threshold. */
  public void drain(long bytes) {
    boolean crossed = bufferedAmount > lowThreshold && bytes <= lowThreshold;
    bufferedAmount = bytes;
    if (crossed && listener != null && isOpen()) {
      listener.onBufferedAmountLow();
    }
  }

  public long lowThreshold() {
    return lowThreshold;
  }

  @Override
  public void bufferedAmountLowThreshold(long bytes) {
    lowThreshold = bytes;
  }

  /** Closes both ends once the messages already sent have arrived, as a data channel does. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    clock.execute(() -> {
      closeEvents++;
      if (listener != null) {
        listener.onClose();
      }
      other.close();
    });
  }

  public boolean closed() {
    return closed;
  }

  /** How many times onClose was delivered to this end (a channel tells it once). */
  public int closeEvents() {
    return closeEvents;
  }

  /** The frames this end sent, decoded. */
  public List<PeerFrame> sentFrames() {
    List<PeerFrame> frames = new ArrayList<>();
    for (byte[] bytes : sent) {
      try {
        frames.add(PeerCodec.decode(bytes));
      } catch (PeerFrameException e) {
        throw new AssertionError("sent a frame that does not decode: " + e.getMessage(), e);
      }
    }
    return frames;
  }
}
