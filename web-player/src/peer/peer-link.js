/**
 * One peer's data channel under the rules of a connection (docs/PROTOCOL.md, "Rules of a
 * connection"): HELLO first and once from both sides, HAVE snapshots (at most one per 100 ms),
 * requests the link numbers itself and whose PIECEs it checks (order, size, range), REJECT, CANCEL,
 * BYE, and back-pressure on the channel's bufferedAmount for whoever writes PIECEs.
 *
 * The channel is anything shaped like an RTCDataChannel (send, close, readyState, bufferedAmount,
 * bufferedAmountLowThreshold, addEventListener), so node tests drive a link with a fake one.
 */
import { Emitter } from '../util/emitter.js';
import { MAX_RANGES, PeerFrameError, TO_END, decodeFrame, encodeFrame } from './frames.js';

/** Writers pause above this many queued bytes and resume on bufferedamountlow. */
export const HIGH_WATER = 1024 * 1024;
const LOW_WATER = 256 * 1024;
/** HAVE snapshots are coalesced to one per this many ms. */
export const HAVE_INTERVAL_MS = 100;
const HANDSHAKE_TIMEOUT_MS = 10_000;

/**
 * @typedef {import('./frames.js').Hello} Hello
 * @typedef {import('./frames.js').SequenceRange} SequenceRange
 * @typedef {import('./frames.js').Request} Request
 * @typedef {import('./frames.js').Piece} Piece
 * @typedef {import('./frames.js').RejectReason} RejectReason
 * @typedef {import('./frames.js').ByeReason} ByeReason
 * @typedef {import('../util/clock.js').Clock} Clock
 * @typedef {{send: (data: Uint8Array) => void, close: () => void, readyState: string,
 *   bufferedAmount: number, bufferedAmountLowThreshold: number, binaryType?: string,
 *   addEventListener: (type: string, listener: (event: any) => void) => void}} ChannelLike
 * @typedef {{onPiece: (piece: Piece) => void, onEnd: () => void, onReject: (reason: RejectReason) => void,
 *   onClose: () => void}} RequestHandlers
 * @typedef {{id: number, sequence: number, start: number, end: number, size: number, next: number,
 *   handlers: RequestHandlers}} OpenRequest
 * @typedef {{reason: ByeReason | 'closed' | 'timeout', remote: boolean}} CloseInfo
 * @typedef {{ready: (hello: Hello) => void, have: () => void, request: (request: Request) => void,
 *   cancel: (requestId: number) => void, close: (info: CloseInfo) => void}} LinkEvents
 */

/** @extends {Emitter<LinkEvents>} */
export class PeerLink extends Emitter {
  /**
   * @param {ChannelLike} channel
   * @param {{hello: Omit<Hello, 'type'>, clock: Clock, log?: import('../util/log.js').Logger,
   *   holdings?: () => {held: SequenceRange[], fetching: SequenceRange[]}, handshakeTimeoutMs?: number}} options
   *   hello: what this side announces; holdings: what the first HAVE, right after HELLO, says
   */
  constructor(channel, { hello, clock, log, holdings = () => ({ held: [], fetching: [] }),
    handshakeTimeoutMs = HANDSHAKE_TIMEOUT_MS }) {
    super();
    this.holdings = holdings;
    this.channel = channel;
    this.local = hello;
    this.clock = clock;
    this.log = log;
    /** @type {Hello | null} the other side's HELLO, once received */
    this.remote = null;
    /** @type {SequenceRange[]} */
    this.held = [];
    /** @type {SequenceRange[]} */
    this.fetching = [];
    this.closed = false;
    this.nextRequestId = 0;
    /** @type {Map<number, OpenRequest>} our requests still open */
    this.open = new Map();
    /** @type {Set<number>} the other side's requests we have not finished or rejected */
    this.incoming = new Set();
    /** @type {{held: SequenceRange[], fetching: SequenceRange[]} | null} */
    this.pendingHave = null;
    this.lastHaveAt = -Infinity;
    /** @type {unknown} */
    this.haveTimer = null;
    /** @type {Array<() => void>} */
    this.drainWaiters = [];

    channel.binaryType = 'arraybuffer';
    channel.bufferedAmountLowThreshold = LOW_WATER;
    channel.addEventListener('message', (event) => this.receive(event.data));
    channel.addEventListener('close', () => this.finish({ reason: 'closed', remote: true }));
    channel.addEventListener('bufferedamountlow', () => this.wakeWriters());
    this.handshakeTimer = clock.setTimeout(() => {
      if (!this.remote) this.finish({ reason: 'timeout', remote: false });
    }, handshakeTimeoutMs);
    if (channel.readyState === 'open') this.start();
    else channel.addEventListener('open', () => this.start());
  }

  /** True once both HELLOs went through. */
  get ready() {
    return this.remote !== null && !this.closed;
  }

  /** @private */
  start() {
    if (this.closed) return;
    this.write({ type: 'hello', ...this.local });
    // A HAVE right after HELLO, even an empty one.
    this.flushHave(this.pendingHave ?? this.holdings());
  }

  // ---------------------------------------------------------------------------------- holdings

  /**
   * Announces this side's holdings; a burst of changes goes out as one HAVE per HAVE_INTERVAL_MS.
   *
   * @param {SequenceRange[]} held
   * @param {SequenceRange[]} fetching
   */
  sendHave(held, fetching) {
    if (this.closed) return;
    this.pendingHave = { held, fetching };
    if (this.channel.readyState !== 'open' || this.haveTimer !== null) return;
    const wait = this.lastHaveAt + HAVE_INTERVAL_MS - this.clock.now();
    if (wait <= 0) {
      this.flushHave(this.pendingHave);
    } else {
      this.haveTimer = this.clock.setTimeout(() => {
        this.haveTimer = null;
        if (this.pendingHave) this.flushHave(this.pendingHave);
      }, wait);
    }
  }

  /** @private @param {{held: SequenceRange[], fetching: SequenceRange[]}} have */
  flushHave(have) {
    this.pendingHave = null;
    this.lastHaveAt = this.clock.now();
    this.write({ type: 'have', ...have });
  }

  /**
   * What the other side's last HAVE says of a segment.
   *
   * @param {number} sequence
   * @returns {'held' | 'fetching' | null}
   */
  holds(sequence) {
    if (inRanges(this.held, sequence)) return 'held';
    if (inRanges(this.fetching, sequence)) return 'fetching';
    return null;
  }

  // ---------------------------------------------------------------------------- our requests

  /** How many more requests the other side lets us have open. */
  get requestSlots() {
    return this.remote ? this.remote.maxRequests - this.open.size : 0;
  }

  /**
   * Asks for bytes `start` to `end` (exclusive; TO_END for the rest) of a segment. Handlers get
   * the PIECEs in order, then exactly one of onEnd, onReject or onClose.
   *
   * @param {number} sequence
   * @param {number} start
   * @param {number} end
   * @param {RequestHandlers} handlers
   * @returns {() => void} cancels the request (a CANCEL goes out; late PIECEs are ignored)
   */
  request(sequence, start, end, handlers) {
    if (!this.ready) {
      handlers.onClose();
      return () => {};
    }
    const id = this.nextRequestId++;
    this.open.set(id, { id, sequence, start, end, size: -1, next: start, handlers });
    this.write({ type: 'request', requestId: id, sequence, start, end });
    return () => {
      if (this.open.delete(id) && !this.closed) this.write({ type: 'cancel', requestId: id });
    };
  }

  // ------------------------------------------------------------------------- their requests

  /**
   * Sends one PIECE of a request the other side made (the uploader calls this while `writable`).
   *
   * @param {number} requestId
   * @param {number} size
   * @param {number} offset
   * @param {Uint8Array} payload
   * @param {boolean} last  the request is complete with this PIECE
   */
  sendPiece(requestId, size, offset, payload, last) {
    if (!this.incoming.has(requestId)) return;
    if (last) this.incoming.delete(requestId);
    this.write({ type: 'piece', requestId, size, offset, payload });
  }

  /** @param {number} requestId @param {RejectReason} reason */
  reject(requestId, reason) {
    if (!this.incoming.delete(requestId)) return;
    this.write({ type: 'reject', requestId, reason });
  }

  /** Whether the other side's request is still wanted (not cancelled, finished or closed). */
  wants(/** @type {number} */ requestId) {
    return !this.closed && this.incoming.has(requestId);
  }

  /** The channel takes more PIECEs now without queueing past the high-water mark. */
  get writable() {
    return !this.closed && this.channel.bufferedAmount < HIGH_WATER;
  }

  /** Resolves when the channel drained below the low-water mark, or the link closed. */
  drained() {
    if (this.writable) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(() => resolve(undefined)));
  }

  /** @private */
  wakeWriters() {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    waiters.forEach((wake) => wake());
  }

  // ------------------------------------------------------------------------------- receiving

  /** @private @param {unknown} data */
  receive(data) {
    if (this.closed) return;
    if (typeof data === 'string') {
      this.close('protocol_error', 'text message');
      return;
    }
    let frame;
    try {
      frame = decodeFrame(/** @type {ArrayBuffer} */ (data));
    } catch (e) {
      if (!(e instanceof PeerFrameError)) throw e;
      this.close(e.code === 'unsupported_version' ? 'unsupported_version' : 'protocol_error', e.message);
      return;
    }
    if (frame.type === 'hello') {
      this.onHello(frame);
      return;
    }
    if (!this.remote) {
      this.close('protocol_error', `${frame.type} before HELLO`);
      return;
    }
    switch (frame.type) {
      case 'have':
        this.held = frame.held;
        this.fetching = frame.fetching;
        this.emit('have');
        break;
      case 'request':
        this.incoming.add(frame.requestId);
        this.emit('request', frame);
        break;
      case 'cancel':
        if (this.incoming.delete(frame.requestId)) this.emit('cancel', frame.requestId);
        break;
      case 'piece':
        this.onPiece(frame);
        break;
      case 'reject': {
        if (frame.requestId >= this.nextRequestId) {
          this.close('protocol_error', `REJECT of request ${frame.requestId}, never sent`);
          return;
        }
        const open = this.open.get(frame.requestId);
        if (open) {
          this.open.delete(frame.requestId);
          open.handlers.onReject(frame.reason);
        }
        break;
      }
      case 'bye':
        this.finish({ reason: frame.reason, remote: true });
        break;
    }
  }

  /** @private @param {Hello} hello */
  onHello(hello) {
    if (this.remote) {
      this.close('protocol_error', 'second HELLO');
      return;
    }
    if (hello.stream !== this.local.stream || hello.rendition !== this.local.rendition) {
      this.close('wrong_swarm', `HELLO for ${hello.stream}/${hello.rendition}`);
      return;
    }
    this.remote = hello;
    this.clock.clearTimeout(this.handshakeTimer);
    this.emit('ready', hello);
  }

  /** @private @param {Piece} piece */
  onPiece(piece) {
    const open = this.open.get(piece.requestId);
    if (!open) {
      if (piece.requestId >= this.nextRequestId) {
        this.close('protocol_error', `PIECE of request ${piece.requestId}, never sent`);
      }
      return; // cancelled, completed or rejected: late PIECEs are ignored
    }
    const stop = Math.min(open.end, piece.size);
    const problem = open.size >= 0 && piece.size !== open.size ? 'size changed within a request'
      : piece.offset !== open.next ? `PIECE at ${piece.offset}, expected ${open.next}`
        : piece.offset + piece.payload.length > stop ? 'PIECE past the end of the range'
          : null;
    if (problem) {
      this.close('protocol_error', problem);
      return;
    }
    open.size = piece.size;
    open.next += piece.payload.length;
    const done = open.next === stop;
    if (done) this.open.delete(open.id);
    open.handlers.onPiece(piece);
    if (done) open.handlers.onEnd();
  }

  // --------------------------------------------------------------------------------- closing

  /**
   * Sends BYE with the reason and closes the channel.
   *
   * @param {ByeReason} reason
   * @param {string} [why]  for the log
   */
  close(reason, why) {
    if (this.closed) return;
    if (why) this.log?.info(`closing peer link (${reason}): ${why}`);
    this.write({ type: 'bye', reason });
    this.finish({ reason, remote: false });
  }

  /** @private @param {CloseInfo} info */
  finish(info) {
    if (this.closed) return;
    this.closed = true;
    this.clock.clearTimeout(this.handshakeTimer);
    if (this.haveTimer !== null) this.clock.clearTimeout(this.haveTimer);
    try {
      this.channel.close();
    } catch {
      // already closed
    }
    const open = [...this.open.values()];
    this.open.clear();
    this.incoming.clear();
    open.forEach((request) => request.handlers.onClose());
    this.wakeWriters();
    this.emit('close', info);
  }

  /** @private @param {import('./frames.js').PeerFrame} frame */
  write(frame) {
    if (this.channel.readyState !== 'open') return;
    try {
      this.channel.send(encodeFrame(frame));
    } catch (e) {
      this.log?.warn('peer channel send failed', e);
      this.finish({ reason: 'closed', remote: false });
    }
  }
}

/** REQUEST end for "the rest of the segment, at most `maxBytes` of it". @param {number} start @param {number} maxBytes */
export function requestEnd(start, maxBytes) {
  return Math.min(TO_END, start + maxBytes);
}

/**
 * @param {SequenceRange[]} ranges  ascending
 * @param {number} sequence
 */
function inRanges(ranges, sequence) {
  for (const range of ranges) {
    if (sequence < range.first) return false;
    if (sequence < range.first + range.count) return true;
  }
  return false;
}

/**
 * Sequence numbers as HAVE ranges: ascending, neither overlapping nor touching; at most `max`
 * ranges, the newest kept when there are more.
 *
 * @param {Iterable<number>} sequences
 * @param {number} [max]
 * @returns {SequenceRange[]}
 */
export function toRanges(sequences, max = MAX_RANGES) {
  const sorted = [...new Set(sequences)].sort((a, b) => a - b);
  /** @type {SequenceRange[]} */
  const ranges = [];
  for (const sequence of sorted) {
    const last = ranges[ranges.length - 1];
    if (last && last.first + last.count === sequence) last.count++;
    else ranges.push({ first: sequence, count: 1 });
  }
  return ranges.slice(-max);
}
