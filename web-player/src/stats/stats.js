/**
 * What the engine did, for `engine.getStats()`, the 'stats' event and the demo page: bytes by
 * source (delivered to the player, downloaded, uploaded), a per-second history for charts, peers,
 * integrity failures and why transfers fell back to HTTP. The sources: `http` (the edge over HTTP),
 * `p2p` (viewers over data channels) and `seeder` (edge seeders over data channels: edge bytes,
 * never P2P). The same fields as the Java peer's StatsSnapshot and /stats.
 */

/** Seconds of history kept. */
const HISTORY_SECONDS = 120;

/**
 * @typedef {'late' | 'slow' | 'stalled' | 'closed' | 'rejected' | 'integrity' | 'unknown'} FallbackReason
 * @typedef {'http' | 'p2p' | 'seeder'} Source
 * @typedef {{http: number, p2p: number, seeder: number}} BySource
 * @typedef {{t: number, http: number, p2p: number, seeder: number, upload: number}} Second  t: whole seconds since the engine started
 * @typedef {{
 *   delivered: BySource,
 *   segments: BySource,
 *   downloaded: BySource,
 *   httpBytes: number,
 *   p2pBytes: number,
 *   seederBytes: number,
 *   uploaded: number,
 *   p2pShare: number,
 *   rescues: number,
 *   edgeFailovers: number,
 *   trackerFailovers: number,
 *   peers: number,
 *   seeders: number,
 *   swarm: string | null,
 *   tracker: string,
 *   integrityFailures: number,
 *   fallbacks: Record<FallbackReason, number>,
 *   p2pInFlight: number,
 *   uploadsActive: number,
 *   history: Second[],
 * }} StatsSnapshot
 *   delivered: segment bytes handed to the player, by where they came from; segments: segments
 *   handed over, counted by where most of their bytes came from; httpBytes, p2pBytes, seederBytes:
 *   delivered.http, .p2p, .seeder under the names of the steering contract; p2pShare: delivered.p2p
 *   over all delivered (HTTP, viewers and seeders; 0 before any); rescues: segments (or their rest)
 *   asked of an edge seeder instead of HTTP; edgeFailovers: moves to another edge after the edge failed;
 *   trackerFailovers: tracker connections that came back on another tracker; p2pInFlight: peer
 *   transfers running now
 */

export class EngineStats {
  /** @param {() => number} now */
  constructor(now) {
    this.now = now;
    this.startedAt = now();
    /** @type {BySource} */
    this.delivered = { http: 0, p2p: 0, seeder: 0 };
    /** @type {BySource} */
    this.segments = { http: 0, p2p: 0, seeder: 0 };
    /** @type {BySource} */
    this.downloaded = { http: 0, p2p: 0, seeder: 0 };
    this.uploaded = 0;
    this.rescues = 0;
    this.edgeFailovers = 0;
    this.trackerFailovers = 0;
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
      last = { t, http: 0, p2p: 0, seeder: 0, upload: 0 };
      this.history.push(last);
      while (this.history.length > HISTORY_SECONDS) this.history.shift();
    }
    return last;
  }

  /** Bytes that just arrived. @param {Source} source @param {number} bytes */
  downloadedBytes(source, bytes) {
    this.downloaded[source] += bytes;
    this.second()[source] += bytes;
  }

  /** @param {number} bytes */
  uploadedBytes(bytes) {
    this.uploaded += bytes;
    this.second().upload += bytes;
  }

  /**
   * A segment handed to the player; it counts as a segment of the source most of its bytes came
   * from (ties: HTTP before seeders before viewers).
   *
   * @param {number} httpBytes @param {number} p2pBytes @param {number} seederBytes
   */
  deliveredSegment(httpBytes, p2pBytes, seederBytes) {
    this.delivered.http += httpBytes;
    this.delivered.p2p += p2pBytes;
    this.delivered.seeder += seederBytes;
    this.segments[p2pBytes > httpBytes && p2pBytes > seederBytes ? 'p2p' : seederBytes > httpBytes ? 'seeder' : 'http']++;
  }

  /** A transfer asked of an edge seeder instead of HTTP. */
  rescued() {
    this.rescues++;
  }

  /** The engine moved to another edge after its edge failed. */
  failedOverEdge() {
    this.edgeFailovers++;
  }

  /** The tracker connection came back on another tracker than the one it had. */
  failedOverTracker() {
    this.trackerFailovers++;
  }

  /** @param {FallbackReason} reason */
  fellBack(reason) {
    this.fallbacks[reason]++;
    if (reason === 'integrity') this.integrityFailures++;
  }

  /**
   * @param {{peers: number, seeders: number, swarm: string | null, tracker: string, uploadsActive: number}} live
   * @returns {StatsSnapshot}
   */
  snapshot(live) {
    this.second();
    const { http, p2p, seeder } = this.delivered;
    const total = http + p2p + seeder;
    return {
      delivered: { ...this.delivered },
      segments: { ...this.segments },
      downloaded: { ...this.downloaded },
      httpBytes: http,
      p2pBytes: p2p,
      seederBytes: seeder,
      uploaded: this.uploaded,
      p2pShare: total > 0 ? p2p / total : 0,
      rescues: this.rescues,
      edgeFailovers: this.edgeFailovers,
      trackerFailovers: this.trackerFailovers,
      integrityFailures: this.integrityFailures,
      fallbacks: { ...this.fallbacks },
      p2pInFlight: this.p2pInFlight,
      history: this.history.map((s) => ({ ...s })),
      ...live,
    };
  }
}
