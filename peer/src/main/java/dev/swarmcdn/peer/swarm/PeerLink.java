package dev.swarmcdn.peer.swarm;

import dev.swarmcdn.peer.store.Holdings;
import dev.swarmcdn.peer.util.Clock;
import dev.swarmcdn.protocol.peer.ByeReason;
import dev.swarmcdn.protocol.peer.FrameError;
import dev.swarmcdn.protocol.peer.PeerCodec;
import dev.swarmcdn.protocol.peer.PeerFrame;
import dev.swarmcdn.protocol.peer.PeerFrameException;
import dev.swarmcdn.protocol.peer.RejectReason;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One peer's data channel under the rules of a connection (docs/PROTOCOL.md, "Rules of a
 * connection"), as the browser's PeerLink: HELLO first and once from both sides, HAVE snapshots (at
 * most one per 100 ms), requests the link numbers itself and whose PIECEs it checks (order, size,
 * range), REJECT, CANCEL, BYE, and back-pressure on the channel's buffered amount for whoever
 * writes PIECEs. Beyond the browser's rules it bounds control frames (HAVE, REQUEST, CANCEL,
 * REJECT) per second: a flood gets BYE {@code protocol_error}. Confined to the engine's thread.
 */
public final class PeerLink implements DataChannel.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(PeerLink.class);

  /** Writers pause above this many queued bytes and resume when it falls to the low-water mark. */
  public static final long HIGH_WATER = 1024 * 1024;
  static final long LOW_WATER = 256 * 1024;
  /** HAVE snapshots are coalesced to one per this many ms. */
  public static final long HAVE_INTERVAL_MS = 100;
  static final long HANDSHAKE_TIMEOUT_MS = 10_000;
  /** Control frames a peer may send per second, and in a burst: far above any honest peer's. */
  static final int CONTROL_FRAMES_PER_SECOND = 200;
  static final int CONTROL_FRAME_BURST = 400;

  /** What a link tells its owner. Called on the engine's thread. */
  public interface Events {
    /** Both HELLOs went through. */
    default void ready(PeerFrame.Hello remote) {
    }

    /** A new HAVE replaced the other side's holdings. */
    default void have() {
    }

    /** The other side asks for bytes: answer with {@link #sendPiece} or {@link #reject}. */
    default void request(PeerFrame.Request request) {
    }

    default void cancel(long requestId) {
    }

    /** Once, at the end. */
    default void closed(LinkClose close) {
    }
  }

  /** @param announced  the other side's HAVE when the request went out, if it listed the segment as held */
  private record OpenRequest(long id, long end, RequestHandler handler, long[] sizeAndNext, PeerFrame.Have announced) {
  }

  /** REJECT not_held of a segment the other side's unchanged HAVE lists as held: more than this, and it lies. */
  static final int MAX_CONTRADICTIONS = 3;

  private final DataChannel channel;
  private final PeerFrame.Hello local;
  private final Clock clock;
  private final Supplier<Holdings> holdings;
  private final Events events;
  private PeerFrame.Hello remote;
  private PeerFrame.Have remoteHave = new PeerFrame.Have(List.of(), List.of());
  private boolean closed;
  private long nextRequestId;
  private final Map<Long, OpenRequest> open = new HashMap<>();
  private final Set<Long> incoming = new HashSet<>();
  private Holdings pendingHave;
  private long lastHaveAt = Long.MIN_VALUE / 2;
  private Clock.Timer haveTimer;
  private final Clock.Timer handshakeTimer;
  private final List<Runnable> drainWaiters = new ArrayList<>();
  private double controlTokens = CONTROL_FRAME_BURST;
  private int contradictions;
  private long controlRefilledAt;

  /**
   * @param local     what this side announces in HELLO
   * @param holdings  what the first HAVE, right after HELLO, says
   */
  public PeerLink(DataChannel channel, PeerFrame.Hello local, Clock clock, Supplier<Holdings> holdings,
      Events events) {
    this(channel, local, clock, holdings, events, HANDSHAKE_TIMEOUT_MS);
  }

  PeerLink(DataChannel channel, PeerFrame.Hello local, Clock clock, Supplier<Holdings> holdings, Events events,
      long handshakeTimeoutMs) {
    this.channel = channel;
    this.local = local;
    this.clock = clock;
    this.holdings = holdings;
    this.events = events;
    this.controlRefilledAt = clock.now();
    channel.bufferedAmountLowThreshold(LOW_WATER);
    this.handshakeTimer = clock.schedule(handshakeTimeoutMs, () -> {
      if (remote == null) {
        finish(new LinkClose(LinkClose.Reason.TIMEOUT, false, "no HELLO in time"));
      }
    });
    channel.listen(this);
    if (channel.isOpen()) {
      onOpen();
    }
  }

  /** True once both HELLOs went through and until the link closes. */
  public boolean ready() {
    return remote != null && !closed;
  }

  public boolean closed() {
    return closed;
  }

  /** The other side's HELLO, or null before it came. */
  public PeerFrame.Hello remote() {
    return remote;
  }

  public PeerFrame.Hello local() {
    return local;
  }

  private boolean started;

  @Override
  public void onOpen() {
    if (closed || started) {
      return;
    }
    started = true;
    write(local);
    // A HAVE right after HELLO, even an empty one.
    flushHave(pendingHave != null ? pendingHave : holdings.get());
  }

  // ------------------------------------------------------------------------------------ holdings

  /** Announces this side's holdings; a burst of changes goes out as one HAVE per {@link #HAVE_INTERVAL_MS}. */
  public void sendHave(Holdings have) {
    if (closed) {
      return;
    }
    pendingHave = have;
    if (!channel.isOpen() || !started || haveTimer != null) {
      return;
    }
    long wait = lastHaveAt + HAVE_INTERVAL_MS - clock.now();
    if (wait <= 0) {
      flushHave(pendingHave);
    } else {
      haveTimer = clock.schedule(wait, () -> {
        haveTimer = null;
        if (pendingHave != null && !closed) {
          flushHave(pendingHave);
        }
      });
    }
  }

  private void flushHave(Holdings have) {
    pendingHave = null;
    lastHaveAt = clock.now();
    write(new PeerFrame.Have(have.held(), have.fetching()));
  }

  /** Whether the other side's last HAVE lists {@code sequence} as held. */
  public boolean holds(long sequence) {
    return remoteHave.holds(sequence);
  }

  /** Whether the other side's last HAVE lists {@code sequence} as being fetched. */
  public boolean fetches(long sequence) {
    return remoteHave.fetches(sequence);
  }

  /** The newest segment the other side holds, or -1. */
  public long newestHeld() {
    var held = remoteHave.held();
    return held.isEmpty() ? -1 : held.get(held.size() - 1).last();
  }

  // ---------------------------------------------------------------------------------- our requests

  /** How many more requests the other side lets us have open. */
  public int requestSlots() {
    return remote == null ? 0 : Math.max(0, remote.maxRequests() - open.size());
  }

  /**
   * Asks for bytes {@code start} to {@code end} (exclusive; {@link PeerFrame.Request#TO_END} for the
   * rest) of a segment. The handler gets the PIECEs in order, then exactly one ending.
   *
   * @return cancels the request (a CANCEL goes out; late PIECEs are ignored)
   */
  public Runnable request(long sequence, long start, long end, RequestHandler handler) {
    if (!ready()) {
      handler.onClose();
      return () -> { };
    }
    long id = nextRequestId++;
    open.put(id, new OpenRequest(id, end, handler, new long[] {-1, start},
        remoteHave.holds(sequence) ? remoteHave : null));
    write(new PeerFrame.Request(id, sequence, start, end));
    return () -> {
      if (open.remove(id) != null && !closed) {
        write(new PeerFrame.Cancel(id));
      }
    };
  }

  // -------------------------------------------------------------------------------- their requests

  /** Sends one PIECE of a request the other side made (the uploader calls this while {@link #writable}). */
  public void sendPiece(long requestId, long size, long offset, ByteBuffer payload, boolean last) {
    if (!incoming.contains(requestId)) {
      return;
    }
    if (last) {
      incoming.remove(requestId);
    }
    write(new PeerFrame.Piece(requestId, size, offset, payload));
  }

  public void reject(long requestId, RejectReason reason) {
    if (incoming.remove(requestId)) {
      write(new PeerFrame.Reject(requestId, reason));
    }
  }

  /** Whether the other side's request is still wanted (not cancelled, finished or closed). */
  public boolean wants(long requestId) {
    return !closed && incoming.contains(requestId);
  }

  /** The channel takes more PIECEs now without queueing past the high-water mark. */
  public boolean writable() {
    return !closed && channel.bufferedAmount() < HIGH_WATER;
  }

  /** Runs {@code task} once the channel drained to the low-water mark, or the link closed. */
  public void whenDrained(Runnable task) {
    if (writable() || closed) {
      task.run();
    } else {
      drainWaiters.add(task);
    }
  }

  @Override
  public void onBufferedAmountLow() {
    wakeWriters();
  }

  private void wakeWriters() {
    if (drainWaiters.isEmpty()) {
      return;
    }
    List<Runnable> waiters = new ArrayList<>(drainWaiters);
    drainWaiters.clear();
    waiters.forEach(Runnable::run);
  }

  // ------------------------------------------------------------------------------------- receiving

  @Override
  public void onMessage(ByteBuffer message, boolean binary) {
    if (closed) {
      return;
    }
    if (!binary) {
      close(ByeReason.PROTOCOL_ERROR, "text message");
      return;
    }
    PeerFrame frame;
    try {
      frame = PeerCodec.decode(message);
    } catch (PeerFrameException e) {
      close(e.error() == FrameError.UNSUPPORTED_VERSION ? ByeReason.UNSUPPORTED_VERSION : ByeReason.PROTOCOL_ERROR,
          e.getMessage());
      return;
    }
    if (frame instanceof PeerFrame.Hello hello) {
      onHello(hello);
      return;
    }
    if (remote == null) {
      close(ByeReason.PROTOCOL_ERROR, frame.type() + " before HELLO");
      return;
    }
    if (!(frame instanceof PeerFrame.Piece) && !(frame instanceof PeerFrame.Bye) && !takeControlToken()) {
      close(ByeReason.PROTOCOL_ERROR, "more than " + CONTROL_FRAMES_PER_SECOND + " control frames a second");
      return;
    }
    if (frame instanceof PeerFrame.Have have) {
      remoteHave = have;
      events.have();
    } else if (frame instanceof PeerFrame.Request request) {
      incoming.add(request.requestId());
      events.request(request);
    } else if (frame instanceof PeerFrame.Cancel cancel) {
      if (incoming.remove(cancel.requestId())) {
        events.cancel(cancel.requestId());
      }
    } else if (frame instanceof PeerFrame.Piece piece) {
      onPiece(piece);
    } else if (frame instanceof PeerFrame.Reject reject) {
      onReject(reject);
    } else if (frame instanceof PeerFrame.Bye bye) {
      finish(new LinkClose(reasonOf(bye.reason()), true, null));
    }
  }

  private boolean takeControlToken() {
    long now = clock.now();
    controlTokens = Math.min(CONTROL_FRAME_BURST,
        controlTokens + (now - controlRefilledAt) * CONTROL_FRAMES_PER_SECOND / 1000.0);
    controlRefilledAt = now;
    if (controlTokens < 1) {
      return false;
    }
    controlTokens--;
    return true;
  }

  private void onHello(PeerFrame.Hello hello) {
    if (remote != null) {
      close(ByeReason.PROTOCOL_ERROR, "second HELLO");
      return;
    }
    if (!hello.swarm().equals(local.swarm())) {
      close(ByeReason.WRONG_SWARM, "HELLO for " + hello.swarm());
      return;
    }
    remote = hello;
    handshakeTimer.cancel();
    events.ready(hello);
  }

  private void onReject(PeerFrame.Reject reject) {
    if (reject.requestId() >= nextRequestId) {
      close(ByeReason.PROTOCOL_ERROR, "REJECT of request " + reject.requestId() + ", never sent");
      return;
    }
    OpenRequest request = open.remove(reject.requestId());
    if (request == null) {
      return;
    }
    // Holdings may change while a REQUEST travels, and then a new HAVE follows within 100 ms; a
    // peer that keeps refusing what its unchanged HAVE offers is lying about its holdings.
    boolean lie = reject.reason() == RejectReason.NOT_HELD && request.announced() == remoteHave
        && ++contradictions > MAX_CONTRADICTIONS;
    request.handler().onReject(reject.reason());
    if (lie) {
      close(ByeReason.PROTOCOL_ERROR, "its HAVE lists segments it refuses as not held");
    }
  }

  private void onPiece(PeerFrame.Piece piece) {
    OpenRequest request = open.get(piece.requestId());
    if (request == null) {
      if (piece.requestId() >= nextRequestId) {
        close(ByeReason.PROTOCOL_ERROR, "PIECE of request " + piece.requestId() + ", never sent");
      }
      return; // cancelled, completed or rejected: late PIECEs are ignored
    }
    long[] sizeAndNext = request.sizeAndNext();
    long stop = Math.min(request.end(), piece.size());
    String problem = sizeAndNext[0] >= 0 && piece.size() != sizeAndNext[0] ? "size changed within a request"
        : piece.offset() != sizeAndNext[1] ? "PIECE at " + piece.offset() + ", expected " + sizeAndNext[1]
        : piece.offset() + piece.payloadLength() > stop ? "PIECE past the end of the range"
        : null;
    if (problem != null) {
      close(ByeReason.PROTOCOL_ERROR, problem);
      return;
    }
    sizeAndNext[0] = piece.size();
    sizeAndNext[1] += piece.payloadLength();
    boolean done = sizeAndNext[1] == stop;
    if (done) {
      open.remove(request.id());
    }
    request.handler().onPiece(piece);
    if (done) {
      request.handler().onEnd();
    }
  }

  // --------------------------------------------------------------------------------------- closing

  /** Sends BYE with the reason and closes the channel. */
  public void close(ByeReason reason, String why) {
    if (closed) {
      return;
    }
    if (why != null) {
      LOG.info("closing peer link ({}): {}", reason, why);
    }
    write(new PeerFrame.Bye(reason));
    finish(new LinkClose(reasonOf(reason), false, why));
  }

  @Override
  public void onClose() {
    finish(new LinkClose(LinkClose.Reason.CLOSED, true, null));
  }

  private void finish(LinkClose close) {
    if (closed) {
      return;
    }
    closed = true;
    handshakeTimer.cancel();
    if (haveTimer != null) {
      haveTimer.cancel();
    }
    channel.close();
    List<OpenRequest> ours = new ArrayList<>(open.values());
    open.clear();
    incoming.clear();
    ours.forEach(request -> request.handler().onClose());
    wakeWriters();
    events.closed(close);
  }

  private void write(PeerFrame frame) {
    if (!channel.isOpen()) {
      return;
    }
    try {
      channel.send(ByteBuffer.wrap(PeerCodec.encode(frame)));
    } catch (IllegalStateException e) {
      LOG.debug("peer channel send failed: {}", e.getMessage());
      finish(new LinkClose(LinkClose.Reason.CLOSED, false, "send failed"));
    }
  }

  private static LinkClose.Reason reasonOf(ByeReason reason) {
    return LinkClose.Reason.valueOf(reason.name());
  }
}
