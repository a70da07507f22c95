/**
 * The segment jobs running at once, one per segment: those the player waits for, prefetches from
 * peers ahead of the playhead (at most MAX_PREFETCHES), and HTTP fetches of live segments the
 * tracker assigned to this viewer (at most MAX_ASSIGNED_FETCHES). A prefetch that gives up leaves
 * the bytes it got to the next job for its segment (the newest MAX_PARTIALS kept). The player's
 * first segment opens the swarm session once it has arrived (or failed).
 */
import { prefetchCandidates } from '../scheduler/scheduler.js';
import { JobAborted, SegmentJob } from './segment-job.js';
import { swarmOf } from './swarm.js';

/** Peer-only fetches ahead of the player, at most this many at once. */
const MAX_PREFETCHES = 2;
/** HTTP fetches of segments the tracker assigned to this viewer, at most this many at once. */
const MAX_ASSIGNED_FETCHES = 2;
/** An assigned fetch is given this long as its due time when the player is far from the segment (or not started). */
const MAX_ASSIGNED_DUE_SECONDS = 60;
/** Starts of segments kept from prefetches that gave up, at most this many (the newest). */
const MAX_PARTIALS = 4;

/**
 * @typedef {import('./segment-job.js').SegmentRef} SegmentRef
 * @typedef {import('./segment-job.js').Delivery} Delivery
 * @typedef {import('./player-contract.js').Rendition} Rendition
 * @typedef {import('./player-contract.js').SegmentRequest} SegmentRequest
 * @typedef {import('./player-contract.js').Playhead} Playhead
 * @typedef {{
 *   options: import('./options.js').ResolvedOptions,
 *   clock: import('../util/clock.js').Clock,
 *   log: import('../util/log.js').Logger,
 *   fetch: typeof fetch,
 *   http: import('../scheduler/scheduler.js').HttpEstimate,
 *   store: import('../store/segment-store.js').SegmentStore,
 *   integrity: import('../integrity/integrity.js').IntegrityManifests,
 *   stats: import('../stats/stats.js').EngineStats,
 *   session: import('./swarm-session.js').SwarmSession,
 *   playlists: Map<string, Rendition>,
 * }} JobsParts  fetch: towards the edge (the route's); playlists: what the player loaded, by URL
 */

export class SegmentJobs {
  /** @param {JobsParts} parts */
  constructor(parts) {
    this.parts = parts;
    /** @type {Map<string, SegmentJob>} "swarm#sequence" -> the job getting it */
    this.running = new Map();
    /** @type {Map<string, import('./segment-job.js').Partial>} "swarm#sequence" -> bytes a prefetch left */
    this.partials = new Map();
    /** @type {Playhead | null} the player's media element */
    this.playhead = null;
    /** @type {unknown} */
    this.prefetchTimer = undefined;
    this.closed = false;
    const { clock, log, fetch, options, http, store, integrity, stats, session } = parts;
    /** @type {import('./segment-job.js').JobContext} */
    this.context = {
      clock, log, fetch, http, store, integrity, stats,
      httpWindow: options.httpWindow,
      seeds: (swarm, sequence) => session.seeds(swarm, sequence),
      assignedElsewhere: (swarm, sequence) => session.assignment(swarm, sequence) === false,
      seedsOnItsOwn: (swarm) => session.seedsOnItsOwn(swarm),
      pool: (swarm) => session.poolFor(swarm),
      joiningUntil: (swarm) => session.joiningUntil(swarm),
      onPeerChange: (swarm, listener) => session.onPeerChange(swarm, listener),
      reportBad: (swarm, peerId) => session.reportBad(swarm, peerId),
    };
  }

  /**
   * The segment a request is for, in its playlist's swarm.
   *
   * @param {SegmentRequest} request @returns {SegmentRef}
   */
  refFor({ playlistUrl, sequence, url, uri, duration, bitrate }) {
    const playlist = this.parts.playlists.get(playlistUrl);
    return {
      swarm: swarmOf(playlistUrl, this.parts.options.swarmId).key,
      sequence,
      url,
      uri: uri ?? url,
      playlistUrl,
      duration: duration || 2,
      bitrate: (bitrate ?? playlist?.bitrate ?? 1e6) / 8,
      live: playlist?.live ?? false,
    };
  }

  /**
   * Gets a segment for the player: the job already fetching it (a prefetch) or a new one.
   *
   * @param {SegmentRef} ref
   * @param {number} startMs  media time, in ms, at which the segment starts
   * @param {(received: number, size: number) => void} onHttpProgress
   * @returns {{promise: Promise<Delivery>, cancel: () => void}}
   */
  load(ref, startMs, onHttpProgress) {
    const { session } = this.parts;
    if (session.opened) {
      const joined = session.activate(ref.playlistUrl);
      joined.lastRequested = Math.max(joined.lastRequested, ref.sequence);
    }
    const wanted = () => {
      const due = this.bufferAhead(startMs / 1000);
      const started = this.start(ref, due, false);
      started.want(due, onHttpProgress);
      return started;
    };
    let job = wanted();
    const promise = job.promise.catch((e) => {
      // A prefetch that gave up just as the player asked: start over as a normal job.
      if (!(e instanceof JobAborted) || job.cancelled) throw e;
      job = wanted();
      return job.promise;
    });
    promise.finally(() => {
      // The first segment is the player's alone (HTTP at once); the swarm joins once it is here.
      if (!this.closed) session.open(ref.playlistUrl, ref.sequence);
      this.schedulePrefetch();
    }).catch(() => {});
    return { promise, cancel: () => job.cancel() };
  }

  /** The job getting `ref`, started unless one runs. @param {SegmentRef} ref @param {number} dueSeconds @param {boolean} prefetch */
  start(ref, dueSeconds, prefetch) {
    const key = `${ref.swarm}#${ref.sequence}`;
    const running = this.running.get(key);
    if (running && !running.done) return running;
    const resume = this.partials.get(key);
    this.partials.delete(key);
    const job = new SegmentJob(ref, this.context, { dueSeconds, prefetch, resume });
    this.running.set(key, job);
    // Attached before any caller's handler: a player waiting on this prefetch starts over from them.
    job.promise.catch((e) => {
      if (!(e instanceof JobAborted) || !e.partial || this.closed) return;
      this.partials.set(key, e.partial);
      for (const oldest of this.partials.keys()) {
        if (this.partials.size <= MAX_PARTIALS) break;
        this.partials.delete(oldest);
      }
    }).finally(() => {
      if (this.running.get(key) === job) this.running.delete(key);
    });
    return job;
  }

  /**
   * Starts the fetches of segments assigned to this viewer that its live playlist lists, at most
   * MAX_ASSIGNED_FETCHES at once, unless held or already loading: jobs of their own (seeds() says
   * yes for them, so they go over HTTP unless a viewer already holds the segment), whose results are
   * stored and announced, not handed to the player; the player's later load finds them held.
   * Assignments older than the playlist's first segment are dropped.
   */
  fetchAssigned() {
    const { session, playlists, store, log } = this.parts;
    const joined = session.active;
    const playlist = joined ? playlists.get(joined.playlistUrl) : undefined;
    const self = session.tracker?.peerId ?? null;
    const first = playlist?.segments[0]?.sequence;
    if (!joined || !playlist?.live || first === undefined || self === null || this.closed) return;
    let running = [...this.running.values()].filter((job) => job.assigned && !job.done).length;
    for (const sequence of joined.assignments.assignedTo(self, first)) {
      if (running >= MAX_ASSIGNED_FETCHES) return;
      const segment = playlist.segments.find((s) => s.sequence === sequence);
      if (!segment) return; // not listed yet: at a later playlist load
      if (store.has(joined.swarm.key, sequence)) continue;
      const loading = this.running.get(`${joined.swarm.key}#${sequence}`);
      if (loading && !loading.done) {
        // The player's job, waiting for the swarm: it fetches now instead.
        loading.seedNow();
        continue;
      }
      joined.assignments.markStarted(sequence);
      const media = this.playhead;
      const due = !media || media.readyState < 2 ? Infinity
        : (segment.start - media.currentTime) / Math.max(0.1, media.playbackRate || 1);
      const job = this.start(this.refFor({ playlistUrl: joined.playlistUrl, ...segment }), Math.min(due, MAX_ASSIGNED_DUE_SECONDS), false);
      job.assigned = true;
      job.promise.catch((e) => log.info(`assigned segment ${joined.swarm.key}#${sequence}:`, e?.message ?? e))
        .finally(() => this.fetchAssigned());
      running++;
    }
  }

  /** A prefetch round soon (once, however often asked meanwhile). */
  schedulePrefetch() {
    if (this.prefetchTimer !== undefined || this.closed) return;
    this.prefetchTimer = this.parts.clock.setTimeout(() => {
      this.prefetchTimer = undefined;
      this.prefetch();
    }, 0);
  }

  /**
   * Starts peer-only fetches of upcoming segments of the active rendition that peers hold, within
   * the P2P window, so that the player finds them ready.
   *
   * @private
   */
  prefetch() {
    const { session, playlists, integrity, store, options } = this.parts;
    const joined = session.active;
    const media = this.playhead;
    if (!joined || !media || media.readyState < 2 || !integrity.usable(joined.playlistUrl)) return;
    const playlist = playlists.get(joined.playlistUrl);
    if (!playlist) return;
    const running = [...this.running.values()].filter((job) => job.prefetch && !job.done).length;
    const rate = Math.max(0.1, media.playbackRate || 1);
    const upcoming = playlist.segments
      .filter((segment) => segment.sequence > joined.lastRequested)
      .map((segment) => ({ sequence: segment.sequence, dueSeconds: (segment.start - media.currentTime) / rate, segment }));
    const chosen = prefetchCandidates({
      upcoming,
      p2pWindow: options.p2pWindow,
      httpWindow: options.httpWindow,
      slots: MAX_PREFETCHES - running,
      wanted: ({ sequence }) => !store.has(joined.swarm.key, sequence)
        && !this.running.has(`${joined.swarm.key}#${sequence}`) && joined.pool.holders(sequence).length > 0,
    });
    for (const { dueSeconds, segment } of chosen) this.start(this.refFor({ playlistUrl: joined.playlistUrl, ...segment }), dueSeconds, true);
  }

  /**
   * Seconds of media the player holds ahead of its playhead, up to `startSeconds` (0 before
   * playback starts: every segment is urgent then).
   *
   * @private @param {number} startSeconds
   */
  bufferAhead(startSeconds) {
    const media = this.playhead;
    if (!media || media.readyState < 2) return 0;
    const now = media.currentTime;
    let end = now;
    for (let i = 0; i < media.buffered.length; i++) {
      if (media.buffered.start(i) <= now + 0.1 && media.buffered.end(i) > end) end = media.buffered.end(i);
    }
    return Math.max(0, Math.min(end, startSeconds) - now) / Math.max(0.1, media.playbackRate || 1);
  }

  /** The swarm was left: the bytes prefetches left for it go. @param {string} swarm */
  forget(swarm) {
    for (const key of this.partials.keys()) {
      if (key.startsWith(`${swarm}#`)) this.partials.delete(key);
    }
  }

  /** Stops every job; nothing starts after. */
  close() {
    this.closed = true;
    this.running.forEach((job) => job.cancel());
  }
}
