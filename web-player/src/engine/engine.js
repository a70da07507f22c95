/**
 * The P2P engine: what an hls.js player gets by passing `engine.Loader` as its loader and calling
 * `engine.attach(hls)`. It joins the swarm of the rendition being played through the tracker,
 * keeps a bounded set of peers, fetches each media segment from peers or over HTTP as the
 * scheduler decides, checks what peers sent against the integrity manifest, serves what it holds
 * to its swarm, and reports what happened ('stats' events, getStats()).
 */
import { createLoaderClass } from '../hls/loader.js';
import { IntegrityManifests } from '../integrity/integrity.js';
import { PeerPool } from '../peer/peer-pool.js';
import { HttpEstimate, prefetchCandidates } from '../scheduler/scheduler.js';
import { EngineStats } from '../stats/stats.js';
import { SegmentStore } from '../store/segment-store.js';
import { TrackerClient } from '../tracker/tracker-client.js';
import { Uploader } from '../upload/uploader.js';
import { realClock } from '../util/clock.js';
import { Emitter } from '../util/emitter.js';
import { createLogger } from '../util/log.js';
import { Assignments } from './assignments.js';
import { EdgeFailover, parseRoute } from './edge-failover.js';
import { resolveOptions } from './options.js';
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
/** While a swarm has fewer peers than it may, the tracker is asked for fresh ones this often. */
const REFRESH_PEERS_MS = 10_000;
const STATS_INTERVAL_MS = 1000;
const ICE_SERVERS_TIMEOUT_MS = 2000;

/**
 * @typedef {import('./options.js').EngineOptions} EngineOptions
 * @typedef {import('./segment-job.js').SegmentRef} SegmentRef
 * @typedef {import('./segment-job.js').Delivery} Delivery
 * @typedef {import('./swarm.js').Swarm} Swarm
 * @typedef {import('../stats/stats.js').StatsSnapshot} StatsSnapshot
 * @typedef {{swarm: Swarm, playlistUrl: string, edge: string, pool: PeerPool, timer: unknown,
 *   newestAnnounced: number | null, lastRequested: number, assignments: Assignments, liveAnnounced: boolean}} JoinedSwarm
 *   assignments: the tracker's, for this swarm; liveAnnounced: the tracker heard `live: true`
 * @typedef {{live: boolean, fragments: Array<{sn: number | string, start: number, duration: number,
 *   relurl?: string, url: string}>, bitrate: number}} PlaylistInfo
 * @typedef {{clock?: import('../util/clock.js').Clock, fetch?: typeof fetch,
 *   WebSocket?: typeof WebSocket, random?: () => number}} Environment  what tests replace
 * @typedef {{stats: (stats: StatsSnapshot) => void}} EngineEvents
 */

/** @extends {Emitter<EngineEvents>} */
export class P2PEngine extends Emitter {
  /**
   * @param {EngineOptions} [options]
   * @param {Environment} [env]
   */
  constructor(options = {}, env = {}) {
    super();
    /** @type {() => number} the player's stalls so far (countStallsWith) */
    this.stallCount = () => 0;
    this.options = resolveOptions(options);
    this.clock = env.clock ?? realClock;
    this.fetch = env.fetch ?? globalThis.fetch.bind(globalThis);
    this.WebSocket = env.WebSocket ?? globalThis.WebSocket;
    this.random = env.random ?? Math.random;
    this.log = createLogger(this.options.logLevel);
    this.trackerUrl = this.options.tracker;
    this.joinToken = this.options.joinToken;
    this.stats = new EngineStats(this.clock.now);
    this.http = new HttpEstimate();
    /** @type {string | null} the stream asked of /route, once resolved */
    this.routedStream = null;
    this.edges = new EdgeFailover({
      clock: this.clock, fetch: this.fetch, log: this.log,
      askRoute: (excluded) => this.askRoute(excluded),
      switched: (answer) => {
        this.stats.failedOverEdge();
        this.useRoutedIceServers(answer.iceServers, 'the new route');
      },
    });
    /** fetch towards the edge, moved to another when it fails: everything but /route. @type {typeof fetch} */
    this.edgeFetch = (url, init) => this.edges.fetch(String(url), init);
    this.integrity = new IntegrityManifests({
      fetch: this.edgeFetch, now: this.clock.now, log: this.log, key: this.options.integrityKey ?? undefined,
    });
    this.store = new SegmentStore(this.options.maxCacheBytes, (swarm) => this.holdingsChanged(swarm));
    this.uploader = new Uploader({
      store: this.store,
      slots: this.options.uploadSlots,
      maxRate: this.options.maxUploadRate,
      enabled: this.options.upload,
      clock: this.clock,
      onUploaded: (bytes) => this.stats.uploadedBytes(bytes),
      hooks: this.options.testHooks,
    });
    /** @type {TrackerClient | null} */
    this.tracker = null;
    /** @type {JoinedSwarm | null} the swarm of the rendition being played */
    this.active = null;
    /** @type {Map<string, SegmentJob>} "swarm#sequence" -> the job getting it */
    this.jobs = new Map();
    /** @type {Map<string, import('./segment-job.js').Partial>} "swarm#sequence" -> bytes a prefetch left */
    this.partials = new Map();
    /** @type {Map<string, PlaylistInfo>} media playlist URL -> what hls.js parsed of it */
    this.playlists = new Map();
    /** @type {Map<string, number>} peer id -> kept away until, across swarms */
    this.banned = new Map();
    /** @type {Map<string, Set<() => void>>} swarm key -> jobs waiting for a peer to change */
    this.waiters = new Map();
    /** @type {RTCIceServer[]} */
    this.iceServers = this.options.iceServers ?? [];
    /** @type {Promise<void> | null} */
    this.iceReady = this.options.iceServers ? Promise.resolve() : null;
    /** @type {any} the hls.js instance, once attached */
    this.hls = null;
    /** @type {HTMLMediaElement | null} */
    this.media = null;
    /** @type {any} */
    this.DefaultLoader = null;
    this.destroyed = false;
    /** @type {Array<() => void>} */
    this.cleanups = [];
    /** @type {import('./segment-job.js').JobContext | undefined} */
    this.context = undefined;
    /** @type {unknown} */
    this.prefetchTimer = undefined;
    this.statsTimer = this.clock.setTimeout(() => this.tick(), STATS_INTERVAL_MS);
    if (typeof addEventListener === 'function') {
      const leave = () => this.destroy();
      addEventListener('pagehide', leave);
      this.cleanups.push(() => removeEventListener('pagehide', leave));
    }
    /** A class for hls.js's `loader` (or `fLoader`) option, bound to this engine. */
    this.Loader = createLoaderClass(this);
  }

  // -------------------------------------------------------------------------------- public API

  /**
   * Follows an hls.js instance: its media element (the playhead), its playlists (renditions,
   * segments) and its destruction. Call it right after `new Hls(...)`, before `loadSource`.
   *
   * @param {any} hls
   */
  attach(hls) {
    this.hls = hls;
    this.DefaultLoader = hls.constructor?.DefaultConfig?.loader ?? null;
    if (hls.media) this.media = hls.media;
    /** @type {Array<[string, (event: string, data: any) => void]>} */
    const handlers = [
      ['hlsMediaAttached', (_, data) => { this.media = data.media; }],
      ['hlsMediaDetaching', () => { this.media = null; }],
      ['hlsLevelLoaded', (_, data) => this.levelLoaded(data)],
      ['hlsDestroying', () => this.destroy()],
    ];
    for (const [event, handler] of handlers) {
      hls.on(event, handler);
      this.cleanups.push(() => hls.off(event, handler));
    }
    return this;
  }

  /**
   * The URL to load for `src`: unchanged, or, with the `route` option, on the edge the tracker's
   * /route names (with its access token), whose tracker, join token and ICE servers the engine
   * then uses.
   *
   * @param {string} src  a playlist URL or path, e.g. /live/demo/master.m3u8
   * @returns {Promise<string>}
   */
  async resolve(src) {
    // Without a page (node), relative sources resolve against a placeholder: with a route, only
    // their path and query count.
    const base = typeof location === 'undefined' ? 'http://localhost/' : location.href;
    if (!this.options.route) return new URL(src, base).href;
    const target = new URL(src, base);
    this.routedStream = this.options.swarmId ?? /^\/live\/([^/]+)\//.exec(target.pathname)?.[1]
      ?? target.pathname.split('/').filter(Boolean).slice(0, -1).join('/');
    const answer = await this.askRoute([]);
    if (answer.tracker) this.trackerUrl = answer.tracker;
    if (answer.trackerToken) this.joinToken = answer.trackerToken;
    this.useRoutedIceServers(answer.iceServers, 'the route');
    this.edges.start(answer);
    return `${answer.base}${target.pathname}${target.search}`;
  }

  /**
   * Asks /route where to load the routed stream from, passing over the `excluded` edges (straight
   * to the tracker: a failing /route is no edge's failure).
   *
   * @private @param {string[]} excluded  edge ids
   * @returns {Promise<import('./edge-failover.js').RouteAnswer>}
   */
  async askRoute(excluded) {
    const base = typeof location === 'undefined' ? 'http://localhost/' : location.href;
    const route = new URL(/** @type {string} */ (this.options.route), base);
    route.searchParams.set('stream', /** @type {string} */ (this.routedStream));
    if (excluded.length > 0) route.searchParams.set('exclude', excluded.join(','));
    const response = await this.fetch(route.href, { cache: 'no-store' });
    if (!response.ok) throw new Error(`swarmcdn: ${route.href}: HTTP ${response.status}`);
    const answer = parseRoute(await response.json(), route.href);
    this.log.info(`route: ${answer.edge}${answer.fallback ? ` (fallback: ${answer.reason})` : ''}`);
    return answer;
  }

  /** What the engine did so far. @returns {StatsSnapshot} */
  /**
   * Where the tracker's figures get the player's stalls from: `<p2p-player>` counts them; another
   * embedding may pass its own count. Without one, 0 are reported.
   * @param {() => number} count
   */
  countStallsWith(count) {
    this.stallCount = count;
  }

  getStats() {
    return this.stats.snapshot({
      // Viewers and edge seeders apart: a seeder is the edge, not the swarm's.
      peers: this.active?.pool.viewers.length ?? 0,
      seeders: (this.active?.pool.connected.length ?? 0) - (this.active?.pool.viewers.length ?? 0),
      swarm: this.active?.swarm.key ?? null,
      tracker: this.tracker?.state ?? 'off',
      uploadsActive: this.uploader.active,
    });
  }

  /** Leaves every swarm (BYE to each peer), closes the tracker connection, stops every transfer. */
  destroy() {
    if (this.destroyed) return;
    this.destroyed = true;
    this.clock.clearTimeout(this.statsTimer);
    this.cleanups.forEach((cleanup) => cleanup());
    this.jobs.forEach((job) => job.cancel());
    if (this.active) this.leave(this.active);
    this.active = null;
    this.tracker?.close();
  }

  // --------------------------------------------------------------------- for the hls.js loader

  /** The loader hls.js would use without us. @param {any} hlsConfig */
  defaultLoader(hlsConfig) {
    const candidate = this.DefaultLoader ?? (hlsConfig.loader !== this.Loader ? hlsConfig.loader : null);
    if (!candidate) throw new Error('swarmcdn: call engine.attach(hls) before hls.loadSource()');
    return candidate;
  }

  /**
   * What hls.js's own loader fetched for us: a playlist's text may name its integrity manifest; a
   * media segment of the main rendition (P2P off) counts as HTTP bytes delivered.
   *
   * @param {any} context  hls.js LoaderContext
   * @param {string} url
   * @param {unknown} data
   */
  passedBy(context, url, data) {
    if (typeof data === 'string') {
      this.integrity.notePlaylist(url, data);
    } else if (data instanceof ArrayBuffer && context.frag?.type === 'main' && typeof context.frag.sn === 'number') {
      this.stats.downloadedBytes('http', data.byteLength);
      this.stats.deliveredSegment(data.byteLength, 0, 0);
    }
  }

  /**
   * The segment an hls.js fragment request is for, when the engine handles it: media segments of
   * the main rendition, whole (no byte range), with P2P on. Anything else stays with hls.js.
   *
   * @param {any} context  hls.js's FragmentLoaderContext
   * @returns {SegmentRef | null}
   */
  segmentRef(context) {
    const frag = context.frag;
    if (!this.options.p2p || this.destroyed || !frag || frag.type !== 'main' || typeof frag.sn !== 'number'
        || context.rangeEnd || !this.trackerUrl) {
      return null;
    }
    const playlistUrl = frag.baseurl ?? context.url;
    const playlist = this.playlists.get(playlistUrl);
    const level = this.hls?.levels?.[frag.level];
    return {
      swarm: swarmOf(playlistUrl, this.options.swarmId).key,
      sequence: frag.sn,
      url: context.url,
      uri: frag.relurl ?? context.url,
      playlistUrl,
      duration: frag.duration || 2,
      bitrate: (level?.bitrate ?? playlist?.bitrate ?? 1e6) / 8,
      live: playlist?.live ?? false,
    };
  }

  /**
   * Gets a segment for the player: the job already fetching it (a prefetch) or a new one.
   *
   * @param {SegmentRef} ref
   * @param {number} startMs  media time, in ms, at which the segment starts (hls.js frag.start)
   * @param {(received: number, size: number) => void} onHttpProgress
   * @returns {{promise: Promise<Delivery>, cancel: () => void}}
   */
  load(ref, startMs, onHttpProgress) {
    const joined = this.activate(ref.playlistUrl);
    joined.lastRequested = Math.max(joined.lastRequested, ref.sequence);
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
    promise.finally(() => this.schedulePrefetch()).catch(() => {});
    return { promise, cancel: () => job.cancel() };
  }

  /**
   * hls.js gets a segment: its bytes count as delivered, by where they came from, the first time
   * it gets it (a prefetch counts when the player takes it; one it never takes, never).
   *
   * @param {SegmentRef} ref
   * @param {Delivery} delivery
   * @param {ArrayBuffer} data  the copy hls.js gets
   */
  handedOver(ref, delivery, data) {
    if (this.store.handOver(ref.swarm, ref.sequence)) {
      this.stats.deliveredSegment(delivery.httpBytes, delivery.p2pBytes, delivery.seederBytes);
    }
    this.options.testHooks.delivered?.({
      sequence: ref.sequence, swarm: ref.swarm, url: ref.url, httpBytes: delivery.httpBytes, p2pBytes: delivery.p2pBytes,
      seederBytes: delivery.seederBytes,
    }, data);
  }

  /**
   * The timing hls.js gets for a delivered segment. Segments that came over HTTP alone keep their
   * measured timing; those with bytes from data channels, viewers' or edge seeders' (or from the
   * cache) are reported as if they had
   * come at the pace HTTP transfers achieved: hls.js's bandwidth estimate, which picks renditions,
   * must not learn the speed of peers on the same machine or network, which says nothing of what
   * the network sustains over HTTP.
   *
   * @param {Delivery} delivery
   * @param {number} end  when the segment is handed over
   * @returns {{start: number, first: number, end: number}}
   */
  timingFor(delivery, end) {
    if (delivery.p2pBytes === 0 && delivery.seederBytes === 0 && delivery.http) {
      return { start: delivery.http.requestedAt, first: delivery.http.firstByteAt, end: delivery.http.endAt };
    }
    const bytesPerSecond = this.http.measured ? this.http.bytesPerSecond
      : (this.hls?.bandwidthEstimate > 0 ? this.hls.bandwidthEstimate / 8 : this.http.bytesPerSecond);
    const transferMs = (delivery.data.byteLength / bytesPerSecond) * 1000;
    const first = end - transferMs;
    return { start: first - this.http.ttfbMs, first, end };
  }

  // ------------------------------------------------------------------------------- internals

  /** @private @param {SegmentRef} ref @param {number} dueSeconds @param {boolean} prefetch */
  start(ref, dueSeconds, prefetch) {
    const key = `${ref.swarm}#${ref.sequence}`;
    const running = this.jobs.get(key);
    if (running && !running.done) return running;
    const resume = this.partials.get(key);
    this.partials.delete(key);
    const job = new SegmentJob(ref, this.jobContext(), { dueSeconds, prefetch, resume });
    this.jobs.set(key, job);
    // Attached before any caller's handler: a player waiting on this prefetch starts over from them.
    job.promise.catch((e) => {
      if (!(e instanceof JobAborted) || !e.partial || this.destroyed) return;
      this.partials.set(key, e.partial);
      for (const oldest of this.partials.keys()) {
        if (this.partials.size <= MAX_PARTIALS) break;
        this.partials.delete(oldest);
      }
    }).finally(() => {
      if (this.jobs.get(key) === job) this.jobs.delete(key);
    });
    return job;
  }

  /** @private @returns {import('./segment-job.js').JobContext} */
  jobContext() {
    return this.context ??= {
      clock: this.clock,
      log: this.log,
      fetch: this.edgeFetch,
      httpWindow: this.options.httpWindow,
      seeds: (swarm, sequence) => this.seeds(swarm, sequence),
      assignedElsewhere: (swarm, sequence) => this.assignment(swarm, sequence) === false,
      seedsOnItsOwn: (swarm) => this.seedsOnItsOwn(swarm),
      http: this.http,
      store: this.store,
      integrity: this.integrity,
      stats: this.stats,
      pool: (swarm) => {
        const joined = this.active?.swarm.key === swarm ? this.active : null;
        return joined && this.integrity.usable(joined.playlistUrl) ? joined.pool : null;
      },
      onPeerChange: (swarm, listener) => {
        let set = this.waiters.get(swarm);
        if (!set) this.waiters.set(swarm, (set = new Set()));
        set.add(listener);
        return () => set?.delete(listener);
      },
      reportBad: (swarm, peerId) => this.reportBad(swarm, peerId),
    };
  }

  /**
   * Whether this viewer fetches new live segment `sequence` over HTTP at once, to seed the swarm.
   * When the tracker assigned the segment (steering): exactly when it named this viewer. Otherwise
   * the engine's own rule: always when it is the oldest among its viewer peers (every connection
   * to a viewer came from newer viewers, who found it in the tracker's list; edge seeders, which
   * every viewer connects to, do not count), else with the chance `seedShare`. Viewers who joined
   * later then get new segments from it, and a share 0 never seeds by this rule.
   *
   * @private @param {string} swarm @param {number} sequence
   */
  seeds(swarm, sequence) {
    return this.assignment(swarm, sequence) ?? this.seedsOnItsOwn(swarm);
  }

  /**
   * Whether the tracker named this viewer for `sequence`; null when it named nobody we know of.
   *
   * @private @param {string} swarm @param {number} sequence @returns {boolean | null}
   */
  assignment(swarm, sequence) {
    const joined = this.active?.swarm.key === swarm ? this.active : null;
    return joined ? joined.assignments.names(sequence, this.tracker?.peerId ?? null) : null;
  }

  /**
   * The engine's own seeding rule: the viewer oldest among its peers (every connection was offered
   * by newer viewers, who found it in the tracker's list) seeds, and a random `seedShare` of the
   * others.
   *
   * @private @param {string} swarm
   */
  seedsOnItsOwn(swarm) {
    const joined = this.active?.swarm.key === swarm ? this.active : null;
    const { seedShare } = this.options;
    if (!joined || seedShare <= 0) return false;
    return joined.pool.viewers.every((peer) => !peer.initiator) || this.random() < seedShare;
  }

  /**
   * Seconds of media the player holds ahead of its playhead, up to `startSeconds` (0 before
   * playback starts: every segment is urgent then).
   *
   * @private @param {number} startSeconds
   */
  bufferAhead(startSeconds) {
    const media = this.media;
    if (!media || media.readyState < 2) return 0;
    const now = media.currentTime;
    let end = now;
    for (let i = 0; i < media.buffered.length; i++) {
      if (media.buffered.start(i) <= now + 0.1 && media.buffered.end(i) > end) end = media.buffered.end(i);
    }
    return Math.max(0, Math.min(end, startSeconds) - now) / Math.max(0.1, media.playbackRate || 1);
  }

  /** @private @param {any} data  hls.js LevelLoadedData */
  levelLoaded(data) {
    const details = data.details;
    const url = details.url;
    const fragments = details.fragments ?? [];
    this.playlists.set(url, { live: !!details.live, fragments, bitrate: data.levelInfo?.bitrate ?? 1e6 });
    if (!this.options.p2p || !this.trackerUrl || this.destroyed) return;
    if (!this.active || data.level === this.hls?.loadLevel) this.activate(url);
    const joined = this.active?.playlistUrl === url ? this.active : null;
    const newest = fragments[fragments.length - 1]?.sn;
    // A live manifest fetched after its playlist lists the playlist's segments: fetch it now, so
    // that bytes from peers are checked without waiting.
    if (joined && typeof newest === 'number') this.integrity.refresh(url, newest);
    if (joined && details.live) {
      // Joined before the playlist said it is live: the tracker learns it now, to steer this viewer.
      if (!joined.liveAnnounced && joined.timer !== null) this.announceJoin(joined);
      this.fetchAssigned();
    }
    this.schedulePrefetch();
  }

  /**
   * Makes the swarm of `playlistUrl` the active one: joins it and leaves the previous one (a
   * rendition switch moves the viewer to the new swarm).
   *
   * @private @param {string} playlistUrl
   * @returns {JoinedSwarm}
   */
  activate(playlistUrl) {
    const swarm = swarmOf(playlistUrl, this.options.swarmId);
    if (this.active?.swarm.key === swarm.key) return this.active;
    const previous = this.active;
    this.active = this.join(swarm, playlistUrl);
    if (previous) this.leave(previous);
    this.log.info(`joined swarm ${swarm.key}`);
    return this.active;
  }

  /** @private @param {Swarm} swarm @param {string} playlistUrl @returns {JoinedSwarm} */
  join(swarm, playlistUrl) {
    const edge = new URL(playlistUrl).origin;
    const tracker = this.ensureTracker();
    const pool = new PeerPool({
      stream: swarm.stream,
      rendition: swarm.rendition,
      maxPeers: this.options.maxPeers,
      maxRequests: this.options.upload ? this.options.uploadSlots : 0,
      iceServers: () => this.iceServers,
      iceTransportPolicy: this.options.iceTransportPolicy,
      selfId: () => tracker.peerId,
      holdings: () => this.store.holdings(swarm.key),
      sendSignal: (to, kind, data) => tracker.signal(to, swarm.stream, swarm.rendition, kind, data),
      clock: this.clock,
      log: this.log,
      banned: this.banned,
    });
    pool.on('request', (peer, request) => {
      if (peer.link) this.uploader.serve(peer.link, swarm.key, request);
    });
    for (const event of /** @type {const} */ (['ready', 'have', 'closed'])) {
      pool.on(event, () => this.peersChanged(swarm.key));
    }
    /** @type {JoinedSwarm} */
    const joined = {
      swarm, playlistUrl, edge, pool, timer: null, newestAnnounced: null, lastRequested: -1,
      assignments: new Assignments(), liveAnnounced: false,
    };
    const announce = () => {
      if (this.active !== joined) return;
      this.announceJoin(joined);
      const refresh = () => {
        if (this.active !== joined) return;
        if (pool.connected.length < this.options.maxPeers) this.announceJoin(joined);
        joined.timer = this.clock.setTimeout(refresh, REFRESH_PEERS_MS);
      };
      joined.timer = this.clock.setTimeout(refresh, REFRESH_PEERS_MS);
    };
    this.loadIceServers(edge).then(announce);
    this.integrity.refresh(playlistUrl);
    return joined;
  }

  /** A join (again): enters the swarm or refreshes this viewer's entry, and asks for peers. @private @param {JoinedSwarm} joined */
  announceJoin(joined) {
    this.tracker?.join(joined.swarm.stream, joined.swarm.rendition, this.joinDetails(joined));
  }

  /**
   * What a join says: `live` when the playlist is a live one (the tracker steers only such viewers).
   *
   * @private @param {JoinedSwarm} joined @param {Array<{peerId: string, reason: string}>} [reports]
   */
  joinDetails(joined, reports) {
    const live = this.playlists.get(joined.playlistUrl)?.live === true;
    joined.liveAnnounced = live;
    return { edge: joined.edge, uploadSlots: this.uploader.freeSlots, have: this.store.newest(joined.swarm.key), live, reports };
  }

  /** @private @param {JoinedSwarm} joined */
  leave(joined) {
    this.clock.clearTimeout(joined.timer);
    for (const key of this.partials.keys()) {
      if (key.startsWith(`${joined.swarm.key}#`)) this.partials.delete(key);
    }
    joined.pool.close();
    this.tracker?.leave(joined.swarm.stream, joined.swarm.rendition);
    this.peersChanged(joined.swarm.key);
  }

  /** @private */
  ensureTracker() {
    if (this.tracker) return this.tracker;
    // The route's tracker first, then the ones the options name, each once.
    const urls = [this.trackerUrl, this.options.tracker, ...this.options.trackers]
      .filter((url, i, all) => typeof url === 'string' && all.indexOf(url) === i);
    const tracker = new TrackerClient({
      url: /** @type {string[]} */ (urls),
      token: this.joinToken,
      clock: this.clock,
      log: this.log,
      WebSocket: this.WebSocket,
      random: this.random,
    });
    tracker.on('peers', (stream, rendition, peers) => {
      if (this.active?.swarm.key === `${stream}/${rendition}`) this.active.pool.connectTo(peers);
    });
    tracker.on('signal', (message) => {
      if (this.active?.swarm.key === `${message.swarm}/${message.rendition}`) this.active.pool.signal(message);
    });
    tracker.on('moved', () => this.stats.failedOverTracker());
    // The viewer's figures, summed per stream by the tracker.
    tracker.reportFiguresOf(() => ({
      ...this.stats.delivered, uploaded: this.stats.uploaded, stalls: this.stallCount(),
      integrityFailures: this.stats.integrityFailures,
    }));
    tracker.on('assign', ({ swarm, rendition, sequence, fetchers }) => this.assigned(`${swarm}/${rendition}`, sequence, fetchers));
    tracker.connect();
    this.tracker = tracker;
    return tracker;
  }

  /**
   * The route answer's ICE servers, unless the iceServers option named them; the edge is then not
   * asked for its own.
   *
   * @private @param {unknown} servers @param {string} from
   */
  useRoutedIceServers(servers, from) {
    if (servers === undefined || this.options.iceServers) return;
    if (!isIceServerList(servers)) {
      this.log.warn(`${from}: iceServers is not an RTCIceServer list (each {urls: string | string[], ...}); the edge's instead`);
      return;
    }
    this.iceServers = servers;
    this.iceReady = Promise.resolve();
  }

  /** The ICE servers the edge offers, fetched once (2 s at most; none on failure). @private @param {string} edge */
  loadIceServers(edge) {
    this.iceReady ??= (async () => {
      const controller = new AbortController();
      const timer = this.clock.setTimeout(() => controller.abort(), ICE_SERVERS_TIMEOUT_MS);
      try {
        const response = await this.edgeFetch(`${edge}/_edge/ice-servers`, { signal: controller.signal });
        const servers = response.ok ? await response.json() : [];
        this.iceServers = Array.isArray(servers) ? servers : [];
      } catch {
        this.log.info(`no ICE servers from ${edge}: peers connect directly only`);
      } finally {
        this.clock.clearTimeout(timer);
      }
    })();
    return this.iceReady;
  }

  /**
   * A peer sent bytes that failed the integrity check: dropped for good, reported to the tracker
   * (with a fresh peer list asked for in the same join).
   *
   * @private @param {string} swarm @param {string} peerId
   */
  reportBad(swarm, peerId) {
    const joined = this.active?.swarm.key === swarm ? this.active : null;
    if (!joined) return;
    joined.pool.drop(peerId, 'integrity', Infinity);
    this.tracker?.join(joined.swarm.stream, joined.swarm.rendition,
      this.joinDetails(joined, [{ peerId, reason: 'integrity' }]));
  }

  /**
   * The tracker assigned live segment `sequence` of `swarm` to `fetchers`: the engine follows it,
   * fetching the segment over HTTP as soon as its playlist lists it when named, else leaving it to
   * the swarm (docs/PROTOCOL.md, "assign").
   *
   * @private @param {string} swarm @param {number} sequence @param {string[]} fetchers
   */
  assigned(swarm, sequence, fetchers) {
    const joined = this.active?.swarm.key === swarm ? this.active : null;
    if (!joined) return;
    joined.assignments.record(sequence, fetchers);
    this.fetchAssigned();
  }

  /**
   * Starts the fetches of segments assigned to this viewer that its live playlist lists, at most
   * MAX_ASSIGNED_FETCHES at once, unless held or already loading: jobs of their own (seeds() says
   * yes for them, so they go over HTTP unless a viewer already holds the segment), whose results are
   * stored and announced, not handed to the player; the player's later load finds them held.
   * Assignments older than the playlist's first segment are dropped.
   *
   * @private
   */
  fetchAssigned() {
    const joined = this.active;
    const playlist = joined ? this.playlists.get(joined.playlistUrl) : undefined;
    const self = this.tracker?.peerId ?? null;
    const first = playlist?.fragments[0]?.sn;
    if (!joined || !playlist?.live || typeof first !== 'number' || self === null || this.destroyed) return;
    let running = [...this.jobs.values()].filter((job) => job.assigned && !job.done).length;
    for (const sequence of joined.assignments.assignedTo(self, first)) {
      if (running >= MAX_ASSIGNED_FETCHES) return;
      const frag = playlist.fragments.find((f) => f.sn === sequence);
      if (!frag) return; // not listed yet: at a later playlist load
      if (this.store.has(joined.swarm.key, sequence)) continue;
      const loading = this.jobs.get(`${joined.swarm.key}#${sequence}`);
      if (loading && !loading.done) {
        // The player's job, waiting for the swarm: it fetches now instead.
        loading.seedNow();
        continue;
      }
      joined.assignments.markStarted(sequence);
      const media = this.media;
      const due = !media || media.readyState < 2 ? Infinity
        : (frag.start - media.currentTime) / Math.max(0.1, media.playbackRate || 1);
      const job = this.start(this.fragmentRef(joined, playlist, frag), Math.min(due, MAX_ASSIGNED_DUE_SECONDS), false);
      job.assigned = true;
      job.promise.catch((e) => this.log.info(`assigned segment ${joined.swarm.key}#${sequence}:`, e?.message ?? e))
        .finally(() => this.fetchAssigned());
      running++;
    }
  }

  /** @private @param {string} swarm */
  holdingsChanged(swarm) {
    const joined = this.active?.swarm.key === swarm ? this.active : null;
    if (!joined) return;
    joined.pool.announce();
    const newest = this.store.newest(swarm);
    if (newest !== null && newest !== joined.newestAnnounced) {
      joined.newestAnnounced = newest;
      this.tracker?.have(joined.swarm.stream, joined.swarm.rendition, newest);
    }
  }

  /** @private @param {string} swarm */
  peersChanged(swarm) {
    const waiting = this.waiters.get(swarm);
    if (waiting) [...waiting].forEach((wake) => wake());
    this.schedulePrefetch();
  }

  /** @private */
  schedulePrefetch() {
    if (this.prefetchTimer !== undefined || this.destroyed) return;
    this.prefetchTimer = this.clock.setTimeout(() => {
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
    const joined = this.active;
    const media = this.media;
    if (!joined || !media || media.readyState < 2 || !this.integrity.usable(joined.playlistUrl)) return;
    const playlist = this.playlists.get(joined.playlistUrl);
    if (!playlist) return;
    const running = [...this.jobs.values()].filter((job) => job.prefetch && !job.done).length;
    const rate = Math.max(0.1, media.playbackRate || 1);
    const upcoming = playlist.fragments
      .filter((frag) => typeof frag.sn === 'number' && frag.sn > joined.lastRequested)
      .map((frag) => ({ sequence: /** @type {number} */ (frag.sn), dueSeconds: (frag.start - media.currentTime) / rate, frag }));
    const chosen = prefetchCandidates({
      upcoming,
      p2pWindow: this.options.p2pWindow,
      httpWindow: this.options.httpWindow,
      slots: MAX_PREFETCHES - running,
      wanted: ({ sequence }) => !this.store.has(joined.swarm.key, sequence)
        && !this.jobs.has(`${joined.swarm.key}#${sequence}`) && joined.pool.holders(sequence).length > 0,
    });
    for (const { dueSeconds, frag } of chosen) this.start(this.fragmentRef(joined, playlist, frag), dueSeconds, true);
  }

  /**
   * The segment of a fragment of the active playlist.
   *
   * @private @param {JoinedSwarm} joined @param {PlaylistInfo} playlist @param {PlaylistInfo['fragments'][number]} frag
   * @returns {SegmentRef}
   */
  fragmentRef(joined, playlist, frag) {
    return {
      swarm: joined.swarm.key,
      sequence: /** @type {number} */ (frag.sn),
      url: frag.url,
      uri: frag.relurl ?? frag.url,
      playlistUrl: joined.playlistUrl,
      duration: frag.duration || 2,
      bitrate: playlist.bitrate / 8,
      live: playlist.live,
    };
  }

  /** @private */
  tick() {
    if (this.destroyed) return;
    this.emit('stats', this.getStats());
    this.statsTimer = this.clock.setTimeout(() => this.tick(), STATS_INTERVAL_MS);
  }
}

/** @param {unknown} value @returns {value is RTCIceServer[]} */
function isIceServerList(value) {
  const isUrls = (/** @type {unknown} */ urls) => typeof urls === 'string'
    || (Array.isArray(urls) && urls.length > 0 && urls.every((url) => typeof url === 'string'));
  return Array.isArray(value) && value.every((server) => typeof server === 'object' && server !== null
    && isUrls(/** @type {{urls?: unknown}} */ (server).urls));
}
