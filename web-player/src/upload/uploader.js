/**
 * Serves other peers' REQUESTs from the segment store: only segments of the link's own swarm, at
 * most `slots` transfers at once (more get REJECT busy), all of them together at most
 * `maxRate` bytes per second, each written in PIECEs of at most 16 KiB while the channel is below
 * its high-water mark.
 */
import { MAX_PAYLOAD, TO_END } from '../peer/frames.js';

/**
 * A token bucket shared by every upload: `take(n)` resolves once `n` bytes may go out. Waiters are
 * served in order, so transfers share the rate.
 */
export class RateLimiter {
  /**
   * @param {number} bytesPerSecond  0 or Infinity: no limit
   * @param {import('../util/clock.js').Clock} clock
   */
  constructor(bytesPerSecond, clock) {
    this.rate = bytesPerSecond > 0 ? bytesPerSecond : Infinity;
    this.clock = clock;
    // A quarter second of burst, and at least one full PIECE.
    this.capacity = Math.max(MAX_PAYLOAD, this.rate / 4);
    this.tokens = this.capacity;
    this.updatedAt = clock.now();
    /** @type {Promise<void>} */
    this.tail = Promise.resolve();
  }

  /** @param {number} bytes */
  take(bytes) {
    if (this.rate === Infinity) return Promise.resolve();
    const turn = this.tail.then(() => this.wait(bytes));
    this.tail = turn;
    return turn;
  }

  /** @private @param {number} bytes */
  wait(bytes) {
    const now = this.clock.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.updatedAt) / 1000) * this.rate);
    this.updatedAt = now;
    this.tokens -= bytes;
    if (this.tokens >= 0) return undefined;
    const ms = (-this.tokens / this.rate) * 1000;
    return new Promise((resolve) => this.clock.setTimeout(() => resolve(undefined), ms));
  }
}

/**
 * @typedef {import('../peer/peer-link.js').PeerLink} PeerLink
 * @typedef {{corruptUpload?: (sequence: number, payload: Uint8Array) => Uint8Array}} UploadHooks
 */

export class Uploader {
  /**
   * @param {{store: import('../store/segment-store.js').SegmentStore, slots: number, maxRate: number,
   *   enabled: boolean, clock: import('../util/clock.js').Clock, onUploaded: (bytes: number) => void,
   *   hooks?: UploadHooks}} options  hooks.corruptUpload: tests only, rewrites served bytes
   */
  constructor({ store, slots, maxRate, enabled, clock, onUploaded, hooks = {} }) {
    this.store = store;
    this.slots = slots;
    this.enabled = enabled;
    this.limiter = new RateLimiter(maxRate, clock);
    this.onUploaded = onUploaded;
    this.hooks = hooks;
    this.active = 0;
  }

  /** Free upload slots, as the tracker's join announces them. */
  get freeSlots() {
    return this.enabled ? Math.max(0, this.slots - this.active) : 0;
  }

  /**
   * Answers one REQUEST that arrived on `link`, whose HELLO named `swarm`.
   *
   * @param {PeerLink} link
   * @param {string} swarm
   * @param {import('../peer/frames.js').Request} request
   */
  serve(link, swarm, request) {
    const { requestId, sequence, start, end } = request;
    if (!this.enabled || this.active >= this.slots) {
      link.reject(requestId, 'busy');
      return;
    }
    const segment = this.store.get(swarm, sequence);
    if (!segment) {
      link.reject(requestId, 'not_held');
      return;
    }
    const size = segment.data.byteLength;
    const stop = end === TO_END ? size : Math.min(end, size);
    if (start >= size || stop - start > link.local.maxRequestBytes) {
      link.reject(requestId, 'bad_request');
      return;
    }
    this.active++;
    this.send(link, requestId, sequence, segment.data, start, stop).finally(() => this.active--);
  }

  /** @private @param {PeerLink} link @param {number} requestId @param {number} sequence @param {Uint8Array} data @param {number} start @param {number} stop */
  async send(link, requestId, sequence, data, start, stop) {
    for (let offset = start; offset < stop;) {
      if (!link.writable) await link.drained();
      const length = Math.min(MAX_PAYLOAD, stop - offset);
      await this.limiter.take(length);
      if (!link.wants(requestId)) return;
      let payload = data.subarray(offset, offset + length);
      if (this.hooks.corruptUpload) payload = this.hooks.corruptUpload(sequence, new Uint8Array(payload));
      link.sendPiece(requestId, data.byteLength, offset, payload, offset + length === stop);
      this.onUploaded(length);
      offset += length;
    }
  }
}
