package dev.swarmcdn.peer.upload;

import dev.swarmcdn.peer.store.SegmentStore;
import dev.swarmcdn.peer.store.StoredSegment;
import dev.swarmcdn.peer.swarm.PeerLink;
import dev.swarmcdn.peer.util.Clock;
import dev.swarmcdn.protocol.peer.PeerCodec;
import dev.swarmcdn.protocol.peer.PeerFrame;
import dev.swarmcdn.protocol.peer.RejectReason;
import java.nio.ByteBuffer;
import java.util.function.ObjLongConsumer;

/**
 * Serves other peers' REQUESTs from the segment store, as the browser's Uploader: only segments of
 * the link's own swarm, at most {@code slots} transfers at once (more get REJECT busy), all of them
 * together at most {@code maxRate} bytes per second, each written in PIECEs of at most 16 KiB
 * while the channel is below its high-water mark. Confined to the engine's thread.
 */
public final class Uploader {
  private final SegmentStore store;
  private final int slots;
  private final boolean enabled;
  private final RateLimiter limiter;
  private final Clock clock;
  private final ObjLongConsumer<String> onUploaded;
  private final UploadTamper tamper;
  private int active;

  /**
   * @param maxRate     bytes per second for all uploads together, 0 for no limit
   * @param onUploaded  told each PIECE's swarm and payload length as it goes out
   * @param tamper      null, except in tests
   */
  public Uploader(SegmentStore store, int slots, long maxRate, boolean enabled, Clock clock, ObjLongConsumer<String> onUploaded,
      UploadTamper tamper) {
    this.store = store;
    this.slots = slots;
    this.enabled = enabled;
    this.limiter = new RateLimiter(maxRate, clock);
    this.clock = clock;
    this.onUploaded = onUploaded;
    this.tamper = tamper;
  }

  /** Free upload slots, as the tracker's join announces them. */
  public int freeSlots() {
    return enabled ? Math.max(0, slots - active) : 0;
  }

  public int active() {
    return active;
  }

  /** Answers one REQUEST that arrived on {@code link}, whose swarm is {@code swarm}. */
  public void serve(PeerLink link, String swarm, PeerFrame.Request request) {
    long id = request.requestId();
    if (!enabled || active >= slots) {
      link.reject(id, RejectReason.BUSY);
      return;
    }
    StoredSegment segment = store.get(swarm, request.sequence());
    if (segment == null) {
      link.reject(id, RejectReason.NOT_HELD);
      return;
    }
    long size = segment.data().length;
    long stop = request.end() == PeerFrame.Request.TO_END ? size : Math.min(request.end(), size);
    if (request.start() >= size || stop - request.start() > link.local().maxRequestBytes()) {
      link.reject(id, RejectReason.BAD_REQUEST);
      return;
    }
    active++;
    new Transfer(link, id, segment, (int) request.start(), (int) stop).step();
  }

  /** One request being served, a PIECE at a time. */
  private final class Transfer {
    private final PeerLink link;
    private final long requestId;
    private final StoredSegment segment;
    private final int stop;
    private int offset;
    private boolean booked;
    private boolean done;

    Transfer(PeerLink link, long requestId, StoredSegment segment, int start, int stop) {
      this.link = link;
      this.requestId = requestId;
      this.segment = segment;
      this.offset = start;
      this.stop = stop;
    }

    void step() {
      while (offset < stop) {
        if (!link.wants(requestId)) {
          finish();
          return;
        }
        if (!link.writable()) {
          link.whenDrained(this::step);
          return;
        }
        int length = Math.min(PeerCodec.MAX_PAYLOAD, stop - offset);
        if (!booked) {
          booked = true;
          long wait = limiter.book(length);
          if (wait > 0) {
            clock.schedule(wait, this::step);
            return;
          }
        }
        booked = false;
        ByteBuffer payload = ByteBuffer.wrap(segment.data(), offset, length);
        if (tamper != null) {
          byte[] copy = new byte[length];
          payload.get(copy);
          payload = ByteBuffer.wrap(tamper.rewrite(segment.sequence(), copy));
        }
        link.sendPiece(requestId, segment.data().length, offset, payload, offset + length == stop);
        onUploaded.accept(segment.swarm(), length);
        offset += length;
      }
      finish();
    }

    private void finish() {
      if (!done) {
        done = true;
        active--;
      }
    }
  }
}
