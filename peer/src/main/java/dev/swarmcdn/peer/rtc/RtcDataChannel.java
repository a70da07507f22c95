package dev.swarmcdn.peer.rtc;

import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelObserver;
import dev.onvoid.webrtc.RTCDataChannelState;
import dev.swarmcdn.peer.swarm.DataChannel;
import dev.swarmcdn.peer.util.Clock;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A webrtc-java {@link RTCDataChannel} as the engine's {@link DataChannel}: native events are
 * copied off the native thread and replayed on the engine's clock, in order.
 *
 * <p>The owning {@link RtcSession} frees the native channel ({@link #dispose()}); after that the
 * channel is silent and inert. Native calls are made under this object's lock so that a dispose
 * can never free the channel under a send; native callbacks never take it (a libwebrtc thread
 * blocked on our lock while we wait on that thread would deadlock).
 */
final class RtcDataChannel implements DataChannel {
  private static final Logger LOG = LoggerFactory.getLogger(RtcDataChannel.class);

  /** How often the buffered amount is read while it is above the low threshold. */
  static final long LOW_POLL_MS = 1;

  /** Messages up to this size are staged in one reused direct buffer; larger ones get their own. */
  private static final int STAGING_BYTES = 64 * 1024;

  private final RTCDataChannel channel;
  private final Clock clock;
  private final ForwardingObserver observer;

  // Guarded by this: the native channel is freed once, never under a call.
  private boolean disposed;
  private ByteBuffer staging;

  // Confined to the clock's thread.
  private Listener listener;
  private final ArrayDeque<Consumer<Listener>> beforeListen = new ArrayDeque<>();
  private boolean opened;
  private boolean closeRequested;
  private boolean closed;
  private long lowThreshold;
  private boolean aboveLow;
  // The queue as last read from libwebrtc plus what was sent since: never below the real amount,
  // which only falls between sends. A read is a blocking call onto libwebrtc's network thread, so
  // it is made only when this bound cannot answer.
  private long readAmount;
  private long sentSinceRead;
  private Clock.Timer lowPoll;

  RtcDataChannel(RTCDataChannel channel, Clock clock) {
    this.channel = channel;
    this.clock = clock;
    this.observer = new ForwardingObserver(this);
    channel.registerObserver(observer);
  }

  String label() {
    synchronized (this) {
      return disposed ? "" : channel.getLabel();
    }
  }

  @Override
  public void listen(Listener listener) {
    if (this.listener != null) {
      throw new IllegalStateException("a data channel has one listener");
    }
    this.listener = listener;
    // Events that came before the engine took the channel, in their order.
    while (!beforeListen.isEmpty() && this.listener != null) {
      beforeListen.poll().accept(listener);
    }
  }

  @Override
  public boolean isOpen() {
    return opened && !closeRequested && !closed;
  }

  @Override
  public void send(ByteBuffer message) {
    send(message, true);
  }

  /** Binary or text: the engine sends binary only; tests send text (a protocol error) to see it flagged. */
  void send(ByteBuffer message, boolean binary) {
    if (!isOpen()) {
      throw new IllegalStateException("the data channel is not open");
    }
    int length = message.remaining();
    synchronized (this) {
      if (disposed) {
        throw new IllegalStateException("the data channel is closed");
      }
      try {
        channel.send(new RTCDataChannelBuffer(window(message), binary));
      } catch (VirtualMachineError e) {
        throw e;
      } catch (Exception | Error e) {
        // webrtc-java reports native failures as java.lang.Error.
        throw new IllegalStateException("the data channel refused a message: " + e.getMessage(), e);
      }
    }
    sentSinceRead += length;
  }

  /**
   * The message as a direct buffer whose capacity is exactly the message: webrtc-java 0.14 sends a
   * direct buffer's whole capacity and a heap buffer's whole backing array, whatever the position
   * and limit say. libwebrtc copies the bytes before send returns, so the staging buffer is reused.
   */
  private ByteBuffer window(ByteBuffer message) {
    int length = message.remaining();
    if (message.isDirect() && message.position() == 0 && message.limit() == message.capacity()) {
      return message;
    }
    ByteBuffer target;
    if (length <= STAGING_BYTES) {
      if (staging == null) {
        staging = ByteBuffer.allocateDirect(STAGING_BYTES);
      }
      target = staging.clear();
    } else {
      target = ByteBuffer.allocateDirect(length);
    }
    target.put(message.duplicate());
    return target.slice(0, length);
  }

  /**
   * The bound while it is at or below the low threshold (nobody waits for a low event then), else
   * the amount read from libwebrtc. webrtc-java 0.14 never calls onBufferedAmountChange: a reader
   * that finds the queue above the threshold gets its low event from polling.
   */
  @Override
  public long bufferedAmount() {
    long bound = readAmount + sentSinceRead;
    if (bound <= lowThreshold) {
      return bound;
    }
    long amount = readAmount();
    if (amount > lowThreshold) {
      // Whoever read this may wait for the low event: make sure one comes.
      aboveLow = true;
      pollLowSoon(LOW_POLL_MS);
    }
    return amount;
  }

  private long readAmount() {
    synchronized (this) {
      readAmount = disposed ? 0 : channel.getBufferedAmount();
    }
    sentSinceRead = 0;
    return readAmount;
  }

  @Override
  public void bufferedAmountLowThreshold(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("threshold must be 0 or more");
    }
    lowThreshold = bytes;
  }

  @Override
  public void close() {
    if (closeRequested || closed) {
      return;
    }
    closeRequested = true;
    synchronized (this) {
      if (!disposed) {
        // onClose follows from the native state change (CLOSING, then CLOSED).
        channel.close();
      }
    }
  }

  /**
   * Frees the native channel at once: no event reaches the listener afterwards, not even onClose.
   * Called by the session on its clock's thread; harmless twice.
   */
  void dispose() {
    observer.detach();
    cancelLowPoll();
    listener = null;
    beforeListen.clear();
    synchronized (this) {
      if (disposed) {
        return;
      }
      disposed = true;
      try {
        // Unregistering waits for a callback in flight on libwebrtc's thread, so none runs later.
        channel.unregisterObserver();
        channel.close();
        channel.dispose();
      } catch (Throwable e) { // NOPMD: dispose throws an Error when libwebrtc holds another ref
        LOG.warn("freeing a data channel: {}", e.toString());
      }
    }
  }

  /** Reads the state again (a channel handed over may be open already) and reports changes. */
  void refreshState() {
    RTCDataChannelState state;
    synchronized (this) {
      if (disposed) {
        return;
      }
      state = channel.getState();
    }
    if (state == RTCDataChannelState.OPEN && !opened && !closed) {
      opened = true;
      emit(Listener::onOpen);
    } else if (state == RTCDataChannelState.CLOSED && !closed) {
      closed = true;
      cancelLowPoll();
      emit(Listener::onClose);
    }
  }

  private void onNativeMessage(ByteBuffer copy, boolean binary) {
    if (!closed) {
      emit(listener -> listener.onMessage(copy, binary));
    }
  }

  private void pollLowSoon(long delayMs) {
    if (lowPoll == null && !closed && !disposed()) {
      lowPoll = clock.schedule(delayMs, this::pollLow);
    }
  }

  private void pollLow() {
    lowPoll = null;
    if (closed) {
      return;
    }
    long amount = readAmount();
    if (amount > lowThreshold) {
      aboveLow = true;
      pollLowSoon(LOW_POLL_MS);
    } else if (aboveLow) {
      aboveLow = false;
      emit(Listener::onBufferedAmountLow);
    }
  }

  private void cancelLowPoll() {
    if (lowPoll != null) {
      lowPoll.cancel();
      lowPoll = null;
    }
  }

  private synchronized boolean disposed() {
    return disposed;
  }

  private void emit(Consumer<Listener> event) {
    if (disposed()) {
      return;
    }
    if (listener == null) {
      beforeListen.add(event);
    } else {
      event.accept(listener);
    }
  }

  /**
   * What libwebrtc calls, on its own threads. It holds the channel only until detached: webrtc-java
   * 0.14 never frees a registered observer (nor its JNI global reference), so that small leak must
   * not pin the channel, its listener and the engine behind it.
   */
  private static final class ForwardingObserver implements RTCDataChannelObserver {
    private volatile RtcDataChannel target;

    ForwardingObserver(RtcDataChannel target) {
      this.target = target;
    }

    void detach() {
      target = null;
    }

    @Override
    public void onStateChange() {
      NativeCallbacks.shielded("onStateChange", () -> {
        RtcDataChannel channel = target;
        if (channel != null) {
          channel.clock.execute(channel::refreshState);
        }
      });
    }

    @Override
    public void onMessage(RTCDataChannelBuffer buffer) {
      NativeCallbacks.shielded("onMessage", () -> {
        RtcDataChannel channel = target;
        if (channel == null) {
          return;
        }
        // The buffer wraps libwebrtc's memory, valid only during this call: copy it out now.
        ByteBuffer copy = ByteBuffer.allocate(buffer.data.remaining());
        copy.put(buffer.data).flip();
        boolean binary = buffer.binary;
        channel.clock.execute(() -> channel.onNativeMessage(copy, binary));
      });
    }

    @Override
    public void onBufferedAmountChange(long previousAmount) {
      // Not called by webrtc-java 0.14 (0.15 does, with the amount sent): look again if it comes.
      NativeCallbacks.shielded("onBufferedAmountChange", () -> {
        RtcDataChannel channel = target;
        if (channel != null) {
          channel.clock.execute(() -> channel.pollLowSoon(0));
        }
      });
    }
  }
}
