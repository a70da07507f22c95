package dev.swarmcdn.peer.swarm;

import java.nio.ByteBuffer;

/**
 * What a {@link PeerLink} needs of a WebRTC data channel: the shape of the browser's
 * RTCDataChannel, so the link's rules are tested over an in-memory pair and run over webrtc-java.
 *
 * <p>Events reach the listener on the engine's thread (the one of the {@code Clock} the channel
 * was opened with), one at a time and in the order they happened.
 */
public interface DataChannel {

  /** Where events go; set once, before the channel opens or right after it is handed over. */
  void listen(Listener listener);

  /** Open and not closing: {@link #send} may be called. */
  boolean isOpen();

  /**
   * Queues one binary message (the buffer's remaining bytes, copied before this returns).
   *
   * @throws IllegalStateException when the channel is not open or the transport refused it
   */
  void send(ByteBuffer message);

  /**
   * Bytes queued and not yet handed to the network. At or below the low threshold an upper bound
   * may be answered instead: reading the exact amount can cost a wait on the transport's thread.
   */
  long bufferedAmount();

  /** {@link Listener#onBufferedAmountLow()} fires when {@link #bufferedAmount()} falls to this or below. */
  void bufferedAmountLowThreshold(long bytes);

  /** Closes the channel; {@link Listener#onClose()} follows once. Harmless when already closed. */
  void close();

  /** Events of one channel. */
  interface Listener {
    void onOpen();

    /** One whole message; {@code binary} false for a text message (a protocol error here). */
    void onMessage(ByteBuffer message, boolean binary);

    void onBufferedAmountLow();

    void onClose();
  }
}
