/**
 * What the engine did, for `engine.getStats()`, the 'stats' event and the demo page: bytes by
 * source (delivered to the player, downloaded, uploaded), a per-second history for charts, peers,
 * integrity failures and why transfers fell back to HTTP.
 */

/** Seconds of history kept. */
const HISTORY_SECONDS = 120;

/**
 * @typedef {'late' | 'slow' | 'stalled' | 'closed' | 'rejected' | 'integrity' | 'unknown'} FallbackReason
 * @typedef {{t: number, http: number, p2p: number, upload: number}} Second  t: whole seconds since the engine started
 * @typedef {{
 *   delivered: {http: number, p2p: number},
 *   segments: {http: number, p2p: number},
 *   downloaded: {http: number, p2p: number},
 *   uploaded: number,
 *   p2pShare: number,
 *   peers: number,
 *   swarm: string | null,
 *   tracker: string,
 *   integrityFailures: number,
 *   fallbacks: Record<FallbackReason, number>,
 *   p2pInFlight: number,
 *   uploadsActive: number,
 *   history: Second[],
 * }} StatsSnapshot
 *   delivered: segment bytes handed to the player, by where they came from; segments: segments
 *   handed over, counted by where most of their bytes came from; p2pShare: delivered.p2p over all
 *   delivered (0 before any); p2pInFlight: peer transfers running now
 */

export class EngineStats {
  /** @param {() => number} now */
  constructor(now) {
    this.now = now;
    this.startedAt = now();
    this.delivered = { http: 0, p2p: 0 };
    this.segments = { http: 0, p2p: 0 };
    this.downloaded = { http: 0, p2p: 0 };
    this.uploaded = 0;
    this.integrityFailures = 0;
    /** @type {Record<FallbackReason, number>} */
    this.fallbacks = { late: 0, slow: 0, stalled: 0, closed: 0, rejected: 0, integrity: 0, unknown: 0 };
    this.p2pInFlight = 0;
    /** @type {Second[]} */
    this.history = [];
  }

  /** @private */
  second() {
    const t = Math.floor((this.now() - this.startedAt) / 1000);
    let last = this.history[this.history.length - 1];
    if (!last || last.t !== t) {
      last = { t, http: 0, p2p: 0, upload: 0 };
      this.history.push(last);
      while (this.history.length > HISTORY_SECONDS) this.history.shift();
    }
    return last;
  }

  /** Bytes that just arrived. @param {'http' | 'p2p'} source @param {number} bytes */
  downloadedBytes(source, bytes) {
    this.downloaded[source] += bytes;
    this.second()[source] += bytes;
  }

  /** @param {number} bytes */
  uploadedBytes(bytes) {
    this.uploaded += bytes;
    this.second().upload += bytes;
  }

  /** A segment handed to the player. @param {number} httpBytes @param {number} p2pBytes */
  deliveredSegment(httpBytes, p2pBytes) {
    this.delivered.http += httpBytes;
    this.delivered.p2p += p2pBytes;
    this.segments[p2pBytes > httpBytes ? 'p2p' : 'http']++;
  }

  /** @param {FallbackReason} reason */
  fellBack(reason) {
    this.fallbacks[reason]++;
    if (reason === 'integrity') this.integrityFailures++;
  }

  /**
   * @param {{peers: number, swarm: string | null, tracker: string, uploadsActive: number}} live
   * @returns {StatsSnapshot}
   */
  snapshot(live) {
    this.second();
    const total = this.delivered.http + this.delivered.p2p;
    return {
      delivered: { ...this.delivered },
      segments: { ...this.segments },
      downloaded: { ...this.downloaded },
      uploaded: this.uploaded,
      p2pShare: total > 0 ? this.delivered.p2p / total : 0,
      integrityFailures: this.integrityFailures,
      fallbacks: { ...this.fallbacks },
      p2pInFlight: this.p2pInFlight,
      history: this.history.map((s) => ({ ...s })),
      ...live,
    };
  }
}
