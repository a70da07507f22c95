/**
 * Segments this viewer holds whole: fetched over HTTP, or received from peers and verified. A
 * memory cache bounded by bytes, least recently used out first; what it holds (and what is being
 * fetched) per swarm is what the engine announces in HAVE.
 */
import { MAX_RANGES } from '../peer/frames.js';
import { toRanges } from '../peer/peer-link.js';

/**
 * @typedef {{swarm: string, sequence: number, data: Uint8Array, p2pBytes: number, seederBytes: number,
 *   handedOver: boolean}} StoredSegment
 *   p2pBytes: how many of its bytes came from viewers; seederBytes: from edge seeders (the rest over
 *   HTTP); handedOver: the player got it
 */

export class SegmentStore {
  /**
   * @param {number} maxBytes
   * @param {(swarm: string) => void} [onChange]  holdings of a swarm changed
   */
  constructor(maxBytes, onChange = () => {}) {
    this.maxBytes = maxBytes;
    this.onChange = onChange;
    this.bytes = 0;
    /** @type {Map<string, StoredSegment>} insertion order is recency order */
    this.entries = new Map();
    /** @type {Map<string, Set<number>>} swarm -> sequences being fetched */
    this.inFlight = new Map();
  }

  /** @param {string} swarm @param {number} sequence */
  get(swarm, sequence) {
    const key = keyOf(swarm, sequence);
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  /** @param {string} swarm @param {number} sequence */
  has(swarm, sequence) {
    return this.entries.has(keyOf(swarm, sequence));
  }

  /**
   * @param {string} swarm
   * @param {number} sequence
   * @param {Uint8Array} data  kept as is: the caller hands over a copy nobody else holds
   * @param {number} [p2pBytes]  how many of them came from viewers
   * @param {number} [seederBytes]  how many from edge seeders
   */
  put(swarm, sequence, data, p2pBytes = 0, seederBytes = 0) {
    if (data.byteLength > this.maxBytes) return;
    const key = keyOf(swarm, sequence);
    const old = this.entries.get(key);
    if (old) {
      this.entries.delete(key);
      this.bytes -= old.data.byteLength;
    }
    this.entries.set(key, { swarm, sequence, data, p2pBytes, seederBytes, handedOver: false });
    this.bytes += data.byteLength;
    this.inFlight.get(swarm)?.delete(sequence);
    /** @type {Set<string>} */
    const changed = new Set([swarm]);
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= entry.data.byteLength;
      changed.add(entry.swarm);
    }
    changed.forEach((name) => this.onChange(name));
  }

  /**
   * Notes that the player got a segment; false when it had got it before (a cache hit then brings
   * no bytes from anywhere). A segment not held (too large, already evicted) was fetched for this
   * handover alone.
   *
   * @param {string} swarm @param {number} sequence
   */
  handOver(swarm, sequence) {
    const entry = this.entries.get(keyOf(swarm, sequence));
    if (!entry) return true;
    const first = !entry.handedOver;
    entry.handedOver = true;
    return first;
  }

  /** Marks a segment as being fetched (announced as such) or no longer. */
  fetching(/** @type {string} */ swarm, /** @type {number} */ sequence, /** @type {boolean} */ on) {
    let set = this.inFlight.get(swarm);
    if (!set) this.inFlight.set(swarm, (set = new Set()));
    const changed = on ? !set.has(sequence) && !this.has(swarm, sequence) : set.has(sequence);
    if (on) set.add(sequence);
    else set.delete(sequence);
    if (changed) this.onChange(swarm);
  }

  /**
   * A swarm's holdings as HAVE ranges: held, then fetching (never both); the newest kept when
   * there are more ranges than a HAVE carries.
   *
   * @param {string} swarm
   */
  holdings(swarm) {
    /** @type {number[]} */
    const held = [];
    for (const entry of this.entries.values()) {
      if (entry.swarm === swarm) held.push(entry.sequence);
    }
    const heldSet = new Set(held);
    const fetching = toRanges([...(this.inFlight.get(swarm) ?? [])].filter((s) => !heldSet.has(s)), MAX_RANGES / 2);
    return { held: toRanges(held, MAX_RANGES - fetching.length), fetching };
  }

  /** The newest sequence held in a swarm, or null. @param {string} swarm */
  newest(swarm) {
    let newest = null;
    for (const entry of this.entries.values()) {
      if (entry.swarm === swarm && (newest === null || entry.sequence > newest)) newest = entry.sequence;
    }
    return newest;
  }
}

/** @param {string} swarm @param {number} sequence */
function keyOf(swarm, sequence) {
  return `${swarm}#${sequence}`;
}
