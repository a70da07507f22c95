/**
 * The P2P engine, player-neutral: it joins the swarm of the rendition being played, fetches each
 * media segment from peers or over HTTP as the scheduler decides, checks what peers sent against
 * the integrity manifest, serves what it holds to its swarm, and reports what happened ('stats'
 * events, getStats()). A player integration feeds it (./player-contract.js; `hls/` for hls.js).
 * This file only wires the parts: the route (edge and failover), the swarm session (tracker,
 * peers, ICE servers, holdings, reports) and the segment jobs (jobs, partial bytes, prefetch).
 */
import { IntegrityManifests } from '../integrity/integrity.js';
import { HttpEstimate } from '../scheduler/scheduler.js';
import { EngineStats } from '../stats/stats.js';
import { SegmentStore } from '../store/segment-store.js';
import { Uploader } from '../upload/uploader.js';
import { realClock } from '../util/clock.js';
import { Emitter } from '../util/emitter.js';
import { createLogger } from '../util/log.js';
import { IceServers } from './ice-servers.js';
import { resolveOptions } from './options.js';
import { Route } from './route.js';
import { SegmentJobs } from './segment-jobs.js';
import { SwarmSession } from './swarm-session.js';

const STATS_INTERVAL_MS = 1000;

/**
 * @typedef {import('./options.js').EngineOptions} EngineOptions
 * @typedef {import('./player-contract.js').SegmentRef} SegmentRef
 * @typedef {import('./player-contract.js').Delivery} Delivery
 * @typedef {import('./player-contract.js').Rendition} Rendition
 * @typedef {import('./player-contract.js').SegmentRequest} SegmentRequest
 * @typedef {import('./player-contract.js').Playhead} Playhead
 * @typedef {import('../stats/stats.js').StatsSnapshot} StatsSnapshot
 * @typedef {{stats: (stats: StatsSnapshot) => void}} EngineEvents
 */

/**
 * What tests change in the engine: not an option, not part of the API.
 *
 * @typedef {object} Environment
 * @property {import('../util/clock.js').Clock} [clock]
 * @property {typeof fetch} [fetch]
 * @property {typeof WebSocket} [WebSocket]
 * @property {() => number} [random]
 * @property {TestHooks} [hooks]
 */

/**
 * @typedef {object} TestHooks
 * @property {(sequence: number, payload: Uint8Array) => Uint8Array} [corruptUpload]  rewrites bytes this viewer serves
 * @property {(info: {sequence: number, swarm: string, url: string, httpBytes: number, p2pBytes: number, seederBytes: number}, data: ArrayBuffer) => void} [delivered]
 *   sees every segment the engine hands to the player
 */

/** @extends {Emitter<EngineEvents>} */
export class SwarmEngine extends Emitter {
  /**
   * @param {EngineOptions} [options]
   * @param {Environment} [env]  tests only
   */
  constructor(options = {}, env = {}) {
    super();
    /** @type {() => number} the player's stalls so far (countStallsWith) */
    this.stallCount = () => 0;
    this.options = resolveOptions(options);
    this.clock = env.clock ?? realClock;
    this.hooks = env.hooks ?? {};
    const fetch = env.fetch ?? globalThis.fetch.bind(globalThis);
    this.log = createLogger(this.options.logLevel);
    this.stats = new EngineStats(this.clock.now);
    this.http = new HttpEstimate();
    /** @type {Map<string, Rendition>} media playlist URL -> what the player loaded of it */
    this.playlists = new Map();
    this.destroyed = false;
    /** @type {Array<() => void>} */
    this.cleanups = [];
    const { clock, log, stats } = this;
    this.route = new Route({
      route: this.options.route, swarmId: this.options.swarmId, clock, fetch, log,
      routed: (answer, first) => {
        if (first) this.session.useTracker(answer.tracker, answer.trackerToken);
        else stats.failedOverEdge();
        ice.useRouted(answer.iceServers, first ? 'the route' : 'the new route');
      },
    });
    /** The edge in use, for what the player loads on its own (rewrite, managed, failed). */
    this.edges = this.route.edges;
    this.integrity = new IntegrityManifests({
      fetch: this.route.fetch, now: clock.now, log, key: this.options.integrityKey ?? undefined,
    });
    this.store = new SegmentStore(this.options.maxCacheBytes, (swarm) => this.session.holdingsChanged(swarm));
    this.uploader = new Uploader({
      store: this.store,
      slots: this.options.uploadSlots,
      maxRate: this.options.maxUploadRate,
      enabled: this.options.upload,
      clock,
      onUploaded: (bytes) => stats.uploadedBytes(bytes),
      hooks: this.hooks,
    });
    const ice = new IceServers({ pinned: this.options.iceServers, clock, fetch: this.route.fetch, log });
    this.session = new SwarmSession({
      options: this.options, clock, log, ice, stats,
      WebSocket: env.WebSocket ?? globalThis.WebSocket,
      random: env.random ?? Math.random,
      store: this.store, uploader: this.uploader, integrity: this.integrity, playlists: this.playlists,
      figures: () => ({
        ...stats.delivered, uploaded: stats.uploaded, stalls: this.stallCount(), integrityFailures: stats.integrityFailures,
      }),
      peersChanged: () => this.jobs.schedulePrefetch(),
      assigned: () => this.jobs.fetchAssigned(),
      left: (swarm) => this.jobs.forget(swarm),
    });
    this.jobs = new SegmentJobs({
      options: this.options, clock, log, fetch: this.route.fetch, http: this.http, store: this.store,
      integrity: this.integrity, stats, session: this.session, playlists: this.playlists,
    });
    this.statsTimer = clock.setTimeout(() => this.tick(), STATS_INTERVAL_MS);
    if (typeof addEventListener === 'function') {
      const leave = () => this.destroy();
      addEventListener('pagehide', leave);
      this.cleanups.push(() => removeEventListener('pagehide', leave));
    }
  }

  // -------------------------------------------------------------------------------- public API

  /**
   * The URL to load for `src`: unchanged, or, with the `route` option, on the edge the tracker's
   * /route names (with its access token), whose tracker, join token and ICE servers the engine
   * then uses.
   *
   * @param {string} src  a playlist URL or path, e.g. /live/demo/master.m3u8
   * @returns {Promise<string>}
   */
  resolve(src) {
    return this.route.resolve(src);
  }

  /**
   * Where the tracker's figures get the player's stalls from: `<p2p-player>` counts them; another
   * embedding may pass its own count. Without one, 0 are reported.
   * @param {() => number} count
   */
  countStallsWith(count) {
    this.stallCount = count;
  }

  /** What the engine did so far. @returns {StatsSnapshot} */
  getStats() {
    return this.stats.snapshot({ ...this.session.figures(), uploadsActive: this.uploader.active });
  }

  /** Leaves every swarm (BYE to each peer), closes the tracker connection, stops every transfer. */
  destroy() {
    if (this.destroyed) return;
    this.destroyed = true;
    this.clock.clearTimeout(this.statsTimer);
    this.cleanups.forEach((cleanup) => cleanup());
    this.jobs.close();
    this.session.close();
  }

  // ------------------------------------------------ for a player integration (player-contract.js)

  /**
   * The player loaded a media playlist (again): live playlists list new segments, and the one of
   * the rendition played decides the swarm.
   *
   * @param {Rendition} rendition @param {boolean} playing  the rendition the player plays now
   */
  renditionLoaded(rendition, playing) {
    this.playlists.set(rendition.url, rendition);
    if (!this.options.p2p || !this.session.trackerUrl || this.destroyed) return;
    const joined = this.session.renditionLoaded(rendition, playing);
    if (joined && rendition.live) this.jobs.fetchAssigned();
    this.jobs.schedulePrefetch();
  }

  /** The media element whose playhead decides what is due (null: none now). @param {Playhead | null} playhead */
  followPlayhead(playhead) {
    this.jobs.playhead = playhead;
  }

  /**
   * The segment a media segment request is for, when the engine handles it (P2P on, a tracker
   * known); null: the player loads it on its own. Only whole segments of the main rendition.
   *
   * @param {SegmentRequest} request @returns {SegmentRef | null}
   */
  segmentRef(request) {
    if (!this.options.p2p || this.destroyed || !this.session.trackerUrl) return null;
    return this.jobs.refFor(request);
  }

  /**
   * Gets a segment for the player, as a loader's load; `cancel` is its abort.
   *
   * @param {SegmentRef} ref
   * @param {number} startMs  media time, in ms, at which the segment starts
   * @param {(received: number, size: number) => void} onHttpProgress  HTTP progress only: the
   *   player's emergency down-switch then judges the network, not peers
   * @returns {{promise: Promise<Delivery>, cancel: () => void}}
   */
  load(ref, startMs, onHttpProgress) {
    return this.jobs.load(ref, startMs, onHttpProgress);
  }

  /**
   * The player got a segment: its bytes count as delivered, by where they came from, the first time
   * it gets it (a prefetch counts when the player takes it; one it never takes, never).
   *
   * @param {SegmentRef} ref @param {Delivery} delivery @param {ArrayBuffer} data  the copy the player got
   */
  handedOver(ref, delivery, data) {
    if (this.store.handOver(ref.swarm, ref.sequence)) {
      this.stats.deliveredSegment(delivery.httpBytes, delivery.p2pBytes, delivery.seederBytes);
    }
    this.hooks.delivered?.({
      sequence: ref.sequence, swarm: ref.swarm, url: ref.url, httpBytes: delivery.httpBytes, p2pBytes: delivery.p2pBytes,
      seederBytes: delivery.seederBytes,
    }, data);
  }

  /** The player fetched a playlist on its own: it may name its integrity manifest. @param {string} url @param {string} text */
  playlistFetched(url, text) {
    this.integrity.notePlaylist(url, text);
  }

  /** The player fetched a media segment on its own (P2P off): HTTP bytes delivered. @param {number} bytes */
  segmentFetched(bytes) {
    this.stats.downloadedBytes('http', bytes);
    this.stats.deliveredSegment(bytes, 0, 0);
  }

  // ------------------------------------------------------------------------------- internals

  /** @private */
  tick() {
    if (this.destroyed) return;
    this.emit('stats', this.getStats());
    this.statsTimer = this.clock.setTimeout(() => this.tick(), STATS_INTERVAL_MS);
  }
}
