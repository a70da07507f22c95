/**
 * Getting one segment, from wherever the scheduler says: peers while there is time, HTTP when the
 * deadline comes, an edge seeder's open channel as a rescue from HTTP. A peer transfer that is
 * abandoned (late, slow, stalled, peer gone, rejected) keeps the bytes that arrived; the rest comes
 * from another peer or over HTTP with a Range request.
 * Bytes that came from peers are checked against the integrity manifest before the segment is
 * handed over: a mismatch is discarded and the segment fetched again over HTTP. Only bytes proven
 * wrong blame the peer that sent them (it is dropped and reported): a segment from one peer alone
 * that fails, a size the manifest contradicts, or, for a segment of several sources, bytes that
 * differ from the HTTP copy once that copy verifies. HTTP's answers never blame a peer.
 *
 * A job starts for the player (with a deadline), as a prefetch from viewers only, or for a segment
 * the tracker assigned to this viewer; the player may later want a prefetched or assigned segment,
 * which turns the job into a normal one with its deadline.
 */
import { requestEnd } from '../peer/peer-link.js';
import { isSeeder } from '../peer/peer-pool.js';
import { checkTransfer, deadlineFor, planSegment } from '../scheduler/scheduler.js';
import { fetchSegment, UnusableRange } from './http-fetch.js';

/** How long a viewer waits for the viewer the tracker named to announce a segment, before its own rule decides. */
export const STEER_PATIENCE_MS = 3000;
/** How often a running peer transfer is judged. */
const CHECK_MS = 100;
/** Larger segments than this from a peer are refused outright. */
const MAX_SEGMENT_BYTES = 64 * 1024 * 1024;
/**
 * A segment newer than the manifest an edge still caches (live manifests change with every segment)
 * is checked again after this long, while the deadline allows, at most UNKNOWN_RETRIES times.
 */
const UNKNOWN_RETRY_MS = 400;
const UNKNOWN_RETRIES = 3;

/**
 * @typedef {{swarm: string, sequence: number, url: string, uri: string, playlistUrl: string,
 *   duration: number, bitrate: number, live: boolean}} SegmentRef
 *   swarm: "stream/rendition"; uri: as the playlist writes it; bitrate: bytes per second of media
 * @typedef {{requestedAt: number, firstByteAt: number, endAt: number}} HttpTiming
 * @typedef {{data: Uint8Array, httpBytes: number, p2pBytes: number, seederBytes: number, http: HttpTiming | null}} Delivery
 *   data: the engine's own copy, never handed out; p2pBytes: bytes from viewers; seederBytes: from
 *   edge seeders (edge bytes, never P2P); http: timing of the HTTP part, if any
 * @typedef {import('../peer/peer-pool.js').Peer} Peer
 * @typedef {{peer: string, from: number, to: number}} Span  bytes of the buffer a peer sent
 * @typedef {{buffer: Uint8Array, size: number, received: number, p2pBytes: number, seederBytes: number, spans: Span[]}} Partial
 *   the start of a segment from peers, which a prefetch that gave up hands to the next job
 * @typedef {{
 *   clock: import('../util/clock.js').Clock,
 *   log: import('../util/log.js').Logger,
 *   fetch: typeof fetch,
 *   httpWindow: number,
 *   seeds: (swarm: string, sequence: number) => boolean,
 *   assignedElsewhere: (swarm: string, sequence: number) => boolean,
 *   seedsOnItsOwn: (swarm: string) => boolean,
 *   http: import('../scheduler/scheduler.js').HttpEstimate,
 *   store: import('../store/segment-store.js').SegmentStore,
 *   integrity: import('../integrity/integrity.js').IntegrityManifests,
 *   stats: import('../stats/stats.js').EngineStats,
 *   pool: (swarm: string) => import('../peer/peer-pool.js').PeerPool | null,
 *   joiningUntil: (swarm: string) => number,
 *   onPeerChange: (swarm: string, listener: () => void) => () => void,
 *   reportBad: (swarm: string, peerId: string) => void,
 * }} JobContext
 *   pool: the swarm's peers when P2P may be used for it, else null; seeds: whether this viewer
 *   fetches new live segment `sequence` of the swarm over HTTP at once rather than wait for the
 *   swarm (asked once per segment): the tracker's assignment when it made one, else the engine's
 *   own rule; assignedElsewhere: the tracker named other viewers for it; seedsOnItsOwn: the engine's
 *   own rule; joiningUntil: until when this viewer is still joining the swarm (joined less than a
 *   grace period ago, no viewer connected yet, the tracker did not answer that there is nobody), 0
 *   otherwise
 */

/** Why a job ended without a segment and without an HTTP error. */
export class JobAborted extends Error {
  /** @param {string} why @param {Partial | null} [partial]  the bytes that had arrived */
  constructor(why, partial = null) {
    super(why);
    this.name = 'JobAborted';
    this.partial = partial;
  }
}

export class SegmentJob {
  /**
   * @param {SegmentRef} ref
   * @param {JobContext} ctx
   * @param {{dueSeconds: number, prefetch: boolean, resume?: Partial}} start
   *   resume: bytes an earlier job got, to go on from
   */
  constructor(ref, ctx, { dueSeconds, prefetch, resume }) {
    this.ref = ref;
    this.ctx = ctx;
    this.prefetch = prefetch;
    this.cancelled = false;
    this.done = false;
    /** After bytes from peers failed their check, the rest comes over HTTP. */
    this.forceHttp = false;
    /** @type {Uint8Array | null} */
    this.buffer = null;
    /** @type {number | null} the segment's length once a source told it */
    this.size = null;
    this.received = 0;
    this.httpBytes = 0;
    /** Bytes from viewers. */
    this.p2pBytes = 0;
    /** Bytes from edge seeders: edge bytes, but over a data channel, so checked like a viewer's. */
    this.seederBytes = 0;
    /** Started because the tracker assigned the segment to this viewer, not for the player. */
    this.assigned = false;
    /** @type {Span[]} where the buffer's bytes from peers came from */
    this.spans = [];
    /**
     * @type {{data: Uint8Array, spans: Span[]} | null} a failed mix of sources, kept to find out
     *   which peer's bytes were wrong once the HTTP copy verifies
     */
    this.suspects = null;
    /** @type {Set<string>} peers that failed this job */
    this.tried = new Set();
    if (resume) Object.assign(this, { ...resume, spans: [...resume.spans] });
    this.deadline = this.deadlineFor(dueSeconds);
    /** @type {HttpTiming | null} */
    this.httpTiming = null;
    /** @type {((received: number, size: number) => void) | null} HTTP progress, for the player's loader */
    this.onHttpProgress = null;
    /** @type {(() => void) | null} stops what runs now (a peer request, an HTTP fetch, a wait) */
    this.interrupt = null;
    /** Waiting for the swarm now (interrupt ends the wait, and the job plans again). */
    this.waiting = false;
    this.seed = ref.live && ctx.seeds(ref.swarm, ref.sequence);
    /**
     * When the job started, while the tracker named another viewer for this segment: the swarm is
     * waited for, but after STEER_PATIENCE_MS with no viewer holding or fetching it (the named one
     * left, or never got it) the engine's own rule decides again.
     * @type {number | null}
     */
    this.steeredAt = ref.live && !this.seed && ctx.assignedElsewhere(ref.swarm, ref.sequence) ? ctx.clock.now() : null;
    /** @type {Promise<Delivery>} */
    this.promise = this.run().finally(() => {
      this.done = true;
    });
    this.promise.catch(() => {});
  }

  /**
   * The player wants this segment now, due in `dueSeconds`.
   *
   * @param {number} dueSeconds
   * @param {(received: number, size: number) => void} [onHttpProgress]
   */
  want(dueSeconds, onHttpProgress) {
    this.prefetch = false;
    this.deadline = this.deadlineFor(dueSeconds);
    this.onHttpProgress = onHttpProgress ?? null;
    // A wait planned for a later deadline (an assigned fetch's) is planned again for this one.
    if (this.waiting) this.interrupt?.();
  }

  /**
   * The tracker assigned this live segment to this viewer while the job was under way: it fetches
   * the segment rather than wait for the swarm (a wait under way is planned again).
   */
  seedNow() {
    if (!this.ref.live || this.seed) return;
    this.seed = true;
    if (this.waiting) this.interrupt?.();
  }

  cancel() {
    this.cancelled = true;
    this.interrupt?.();
  }

  /** @private @param {number} dueSeconds */
  deadlineFor(dueSeconds) {
    const { clock, httpWindow, http } = this.ctx;
    return deadlineFor({ now: clock.now(), dueSeconds, httpWindow, bytes: this.expectedSize(), http });
  }

  /** @private */
  expectedSize() {
    return this.size ?? this.ctx.integrity.entry(this.ref.playlistUrl, this.ref.sequence)?.size
      ?? Math.ceil(this.ref.bitrate * this.ref.duration);
  }

  /** @private @returns {Promise<Delivery>} */
  async run() {
    const { store } = this.ctx;
    const { swarm, sequence } = this.ref;
    const stored = store.get(swarm, sequence);
    if (stored) {
      return {
        data: stored.data, httpBytes: stored.data.byteLength - stored.p2pBytes - stored.seederBytes,
        p2pBytes: stored.p2pBytes, seederBytes: stored.seederBytes, http: null,
      };
    }
    try {
      for (;;) {
        await this.fetchRest();
        // Bytes from data channels are checked, an edge seeder's too: a channel is not the edge's HTTPS.
        if (this.p2pBytes === 0 && this.seederBytes === 0) break;
        const verdict = await this.verify();
        if (verdict === 'matches') break;
        this.discard(verdict);
      }
      if (this.suspects) await this.judgeSuspects();
      const data = /** @type {Uint8Array} */ (this.buffer);
      store.put(swarm, sequence, data, this.p2pBytes, this.seederBytes);
      return { data, httpBytes: this.httpBytes, p2pBytes: this.p2pBytes, seederBytes: this.seederBytes, http: this.httpTiming };
    } finally {
      store.fetching(swarm, sequence, false);
    }
  }

  /**
   * The integrity check of the assembled segment. "Unknown" (the manifest does not list it yet) is
   * asked again a little later while there is time: the edge may have served a manifest that was
   * one segment old.
   *
   * @private
   * @returns {Promise<import('../integrity/integrity.js').Verdict>}
   */
  async verify() {
    const { clock, integrity } = this.ctx;
    const check = () => integrity.check(this.ref.playlistUrl, this.ref.sequence, this.ref.uri,
      /** @type {Uint8Array} */ (this.buffer));
    let verdict = await check();
    for (let retry = 0; verdict === 'unknown' && retry < UNKNOWN_RETRIES
        && this.deadline - clock.now() > UNKNOWN_RETRY_MS; retry++) {
      await new Promise((resolve) => clock.setTimeout(() => resolve(undefined), UNKNOWN_RETRY_MS));
      this.checkCancelled();
      verdict = await check();
    }
    return verdict;
  }

  /**
   * Bytes from peers that did not verify: thrown away, and the segment comes over HTTP. A mismatch
   * blames the peer when its bytes were the whole segment; a mix of sources waits for the verified
   * HTTP copy to tell whose bytes were wrong.
   *
   * @private @param {'mismatch' | 'unknown'} verdict
   */
  discard(verdict) {
    const { stats } = this.ctx;
    const peers = this.peersInBuffer();
    if (verdict === 'mismatch') {
      stats.fellBack('integrity');
      if (this.httpBytes === 0 && peers.length === 1) this.blame(peers);
      else this.suspects = { data: /** @type {Uint8Array} */ (this.buffer), spans: [...this.spans] };
    } else {
      stats.fellBack('unknown');
    }
    this.dropPeerBytes();
  }

  /**
   * The HTTP copy of a segment whose mix of sources failed: if it verifies, each peer whose bytes
   * differ from it is blamed; if not, nobody is proven wrong.
   *
   * @private
   */
  async judgeSuspects() {
    const { data, spans } = /** @type {{data: Uint8Array, spans: Span[]}} */ (this.suspects);
    this.suspects = null;
    const copy = /** @type {Uint8Array} */ (this.buffer);
    if (await this.ctx.integrity.check(this.ref.playlistUrl, this.ref.sequence, this.ref.uri, copy) !== 'matches') return;
    const differs = (/** @type {Span} */ span) => span.to > copy.byteLength
      || data.subarray(span.from, span.to).some((byte, i) => byte !== copy[span.from + i]);
    this.blame([...new Set(spans.filter(differs).map((span) => span.peer))]);
  }

  /** Peers proven to have sent wrong bytes: dropped and reported. @private @param {string[]} peers */
  blame(peers) {
    if (peers.length === 0) return;
    this.ctx.log.warn(`segment ${this.ref.swarm}#${this.ref.sequence} from ${peers.join(', ')} failed its integrity check`);
    peers.forEach((peer) => this.ctx.reportBad(this.ref.swarm, peer));
  }

  /** @private @returns {string[]} */
  peersInBuffer() {
    return [...new Set(this.spans.map((span) => span.peer))];
  }

  /** Starts the segment again, over HTTP only, without asking the peers that sent bytes. @private */
  dropPeerBytes() {
    this.peersInBuffer().forEach((peer) => this.tried.add(peer));
    this.reset();
    this.forceHttp = true;
  }

  /** @private @returns {Partial | null} */
  partial() {
    if (this.received === 0 || this.size === null || !this.buffer) return null;
    return {
      buffer: this.buffer, size: this.size, received: this.received, p2pBytes: this.p2pBytes, seederBytes: this.seederBytes,
      spans: this.spans,
    };
  }

  /** @private */
  reset() {
    this.buffer = null;
    this.size = null;
    this.received = 0;
    this.httpBytes = 0;
    this.p2pBytes = 0;
    this.seederBytes = 0;
    this.spans = [];
  }

  /** @private */
  checkCancelled() {
    if (this.cancelled) throw new JobAborted('cancelled');
  }

  /** Fills the buffer to the end, from peers while the plan says so, else over HTTP. @private */
  async fetchRest() {
    const { clock } = this.ctx;
    while (this.size === null || this.received < this.size) {
      this.checkCancelled();
      const pool = this.forceHttp ? null : this.ctx.pool(this.ref.swarm);
      const untried = (/** @type {Peer[]} */ peers) => peers.filter((p) => !this.tried.has(p.id));
      const holders = pool ? untried(pool.holders(this.ref.sequence)) : [];
      if (this.prefetch) {
        // Prefetches come from viewers only (an edge seeder is a rescue), and stop at the first failure.
        const peer = holders.find((p) => !p.score.penalized(clock.now()));
        if (!peer || this.tried.size > 0) throw new JobAborted('no peer for a prefetch', this.partial());
        await this.fromPeer(peer);
        continue;
      }
      const seeders = pool ? untried(pool.seeders(this.ref.sequence)) : [];
      const patientUntil = this.steeredAt === null ? Infinity : this.steeredAt + STEER_PATIENCE_MS;
      if (pool && clock.now() >= patientUntil && holders.length === 0 && pool.fetchers(this.ref.sequence) === 0) {
        this.ctx.log.debug(`segment ${this.ref.swarm}#${this.ref.sequence}: its named fetcher announced nothing; the own rule decides`);
        this.steeredAt = null;
        this.seed = this.ctx.seedsOnItsOwn(this.ref.swarm);
      }
      const joiningUntil = this.forceHttp ? 0 : this.ctx.joiningUntil(this.ref.swarm);
      const now = clock.now();
      // No pool: P2P is off for the segment, or, while the swarm is being joined, not usable yet
      // (its integrity manifest is on its way) and planned as a swarm of nobody so far.
      /** @type {import('../scheduler/scheduler.js').Plan} */
      const plan = !pool && joiningUntil <= now
        ? { source: 'http', reason: 'off' }
        : planSegment({
          now,
          deadline: this.deadline,
          bytes: this.expectedSize() - this.received,
          holders,
          fetchers: pool ? pool.fetchers(this.ref.sequence) : 0,
          peers: pool ? pool.viewers.length : 0,
          live: this.ref.live,
          // Once a peer failed this segment, nobody else is waited for.
          seed: this.seed || this.tried.size > 0,
          seeders,
          joiningUntil,
        });
      if (plan.source === 'http') {
        this.ctx.log.debug(`segment ${this.ref.swarm}#${this.ref.sequence} over HTTP (${plan.reason}, ${Math.round(this.deadline - clock.now())} ms to the deadline)`);
        await this.fromHttp();
      } else if (plan.source === 'peer') {
        const seeder = seeders.find((p) => p.id === plan.peer);
        if (seeder) {
          this.ctx.log.debug(`segment ${this.ref.swarm}#${this.ref.sequence} from edge seeder ${seeder.id} (a rescue, ${Math.round(this.deadline - clock.now())} ms to the deadline)`);
          this.ctx.stats.rescued();
        }
        await this.fromPeer(seeder ?? /** @type {Peer} */ (holders.find((p) => p.id === plan.peer)));
      } else {
        await this.waitForPeers(patientUntil > clock.now() ? Math.min(plan.until, patientUntil) : plan.until);
      }
    }
  }

  /** Until a peer of the swarm changes (a HAVE, a new or lost peer), `until`, or a cancel. @private @param {number} until */
  waitForPeers(until) {
    const { clock, onPeerChange } = this.ctx;
    return new Promise((resolve) => {
      const stop = () => {
        unsubscribe();
        clock.clearTimeout(timer);
        this.interrupt = null;
        this.waiting = false;
        resolve(undefined);
      };
      const unsubscribe = onPeerChange(this.ref.swarm, stop);
      const timer = clock.setTimeout(stop, Math.max(0, until - clock.now()));
      this.interrupt = stop;
      this.waiting = true;
    });
  }

  /**
   * From the first transfer on, peers learn that this viewer is fetching the segment (not while it
   * only waits: others would wait for it in turn).
   *
   * @private
   */
  announceFetching() {
    this.ctx.store.fetching(this.ref.swarm, this.ref.sequence, true);
  }

  /** @private */
  async fromHttp() {
    const { clock, fetch, stats, http, integrity, log } = this.ctx;
    this.announceFetching();
    const from = this.received;
    const controller = new AbortController();
    this.interrupt = () => controller.abort();
    let counted = 0;
    let result;
    try {
      result = await fetchSegment(this.ref.url, {
        from,
        size: this.size ?? undefined,
        signal: controller.signal,
        now: clock.now,
        fetch,
        onProgress: (received, size) => {
          stats.downloadedBytes('http', received - counted);
          counted = received;
          this.onHttpProgress?.(from + received, from + size);
        },
      });
    } catch (e) {
      this.checkCancelled();
      if (!(e instanceof UnusableRange)) throw e;
      log.info(`segment ${this.ref.swarm}#${this.ref.sequence}: ${e.message}; the whole segment instead`);
      // The edge and the peers may name different sizes: only the manifest's can prove the peers wrong.
      if (e.size !== undefined && integrity.entry(this.ref.playlistUrl, this.ref.sequence)?.size === e.size) {
        stats.fellBack('integrity');
        this.blame(this.peersInBuffer());
      }
      this.dropPeerBytes();
      return;
    } finally {
      this.interrupt = null;
    }
    if (from === 0) {
      this.buffer = result.data;
      this.size = result.size;
    } else {
      /** @type {Uint8Array} */ (this.buffer).set(result.data, from);
    }
    this.received = result.size;
    this.httpBytes += result.data.byteLength;
    this.httpTiming = { requestedAt: result.requestedAt, firstByteAt: result.firstByteAt, endAt: result.endAt };
    http.sample(result.data.byteLength, result.endAt - result.firstByteAt, result.firstByteAt - result.requestedAt);
  }

  /**
   * One request to one peer, for the rest of the segment (or as much as the peer allows in one
   * request), judged every CHECK_MS against the deadline and the segment's bitrate.
   *
   * @private @param {Peer} peer
   */
  async fromPeer(peer) {
    const { clock, stats, integrity } = this.ctx;
    const link = /** @type {import('../peer/peer-link.js').PeerLink} */ (peer.link);
    const seeder = isSeeder(peer);
    const start = this.received;
    const end = requestEnd(start, /** @type {import('../peer/frames.js').Hello} */ (link.remote).maxRequestBytes);
    const requestedAt = clock.now();
    this.announceFetching();
    /** @type {number | null} */
    let firstByteAt = null;
    /** @type {number | null} */
    let lastByteAt = null;
    let got = 0;
    stats.p2pInFlight++;
    /** @typedef {'complete' | 'late' | 'slow' | 'stalled' | 'closed' | 'rejected' | 'integrity' | 'conflict' | 'cancelled'} Outcome */
    /** @type {Outcome} */
    const outcome = await new Promise((resolve) => {
      /** @type {unknown} */
      let timer = null;
      let finished = false;
      /** @param {Outcome} how */
      const finish = (how) => {
        if (finished) return;
        finished = true;
        clock.clearTimeout(timer);
        this.interrupt = null;
        if (how !== 'complete' && how !== 'closed' && how !== 'rejected') cancel();
        resolve(how);
      };
      const cancel = link.request(this.ref.sequence, start, end, {
        onPiece: (piece) => {
          const listed = integrity.entry(this.ref.playlistUrl, this.ref.sequence)?.size;
          if ((listed !== undefined && piece.size !== listed) || piece.size > MAX_SEGMENT_BYTES) {
            finish('integrity');
            return;
          }
          if (this.size !== null && piece.size !== this.size) {
            finish('conflict');
            return;
          }
          if (this.size === null) {
            this.size = piece.size;
            this.buffer = new Uint8Array(piece.size);
          }
          /** @type {Uint8Array} */ (this.buffer).set(piece.payload, piece.offset);
          const now = clock.now();
          firstByteAt ??= now;
          lastByteAt = now;
          got += piece.payload.length;
          this.received = piece.offset + piece.payload.length;
          if (seeder) this.seederBytes += piece.payload.length;
          else this.p2pBytes += piece.payload.length;
          stats.downloadedBytes(seeder ? 'seeder' : 'p2p', piece.payload.length);
        },
        onEnd: () => finish('complete'),
        onReject: () => finish('rejected'),
        onClose: () => finish('closed'),
      });
      if (finished) return; // the link was already closed: request() answered at once
      this.interrupt = () => finish('cancelled');
      const check = () => {
        if (finished) return;
        const size = this.size ?? this.expectedSize();
        const verdict = checkTransfer({
          now: clock.now(), requestedAt, firstByteAt, lastByteAt, received: got,
          size: Math.min(size, end) - start, deadline: this.deadline, bitrate: this.ref.bitrate,
        });
        if (verdict === 'ok') timer = clock.setTimeout(check, CHECK_MS);
        else finish(verdict);
      };
      timer = clock.setTimeout(check, CHECK_MS);
    });
    stats.p2pInFlight--;
    if (got > 0) this.spans.push({ peer: peer.id, from: start, to: start + got });
    if (got > 0 && firstByteAt !== null && lastByteAt !== null) {
      peer.score.sample(got, lastByteAt - firstByteAt, firstByteAt - requestedAt);
    }
    this.checkCancelled();
    if (outcome === 'complete') return;
    this.tried.add(peer.id);
    if (outcome === 'integrity' || outcome === 'conflict') {
      // A size the manifest contradicts proves this peer wrong; one that differs from an earlier
      // source's, with no manifest size to judge by, proves nobody wrong. Either way, HTTP now.
      if (outcome === 'integrity') {
        stats.fellBack('integrity');
        this.blame([peer.id]);
      }
      this.dropPeerBytes();
      return;
    }
    if (outcome !== 'closed' && outcome !== 'rejected') peer.score.penalize(clock.now());
    stats.fellBack(/** @type {'late' | 'slow' | 'stalled' | 'closed' | 'rejected'} */ (outcome));
    this.ctx.log.debug(`segment ${this.ref.swarm}#${this.ref.sequence}: peer ${peer.id} ${outcome} at byte ${this.received}`);
  }
}
