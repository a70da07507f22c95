/**
 * The viewer's place in the swarms: the tracker connection, the swarm of the rendition played
 * (joined, announced again while it has room for peers, left on a switch) with its bounded peer
 * pool, the ICE servers peers connect with, what this viewer holds (HAVE to peers, `have` to the
 * tracker), reports of peers that sent bad bytes, the tracker's assignments and the seeding rule.
 *
 * Nothing of it starts before the player has its first segment (`open`): before playback every
 * segment is due at once and comes over HTTP anyway, and the tracker connection, the peer
 * connections, the ICE servers, the manifest and its key would only compete with the first
 * segment's fetch (web-player/README.md, "Startup").
 */
import { PeerPool } from '../peer/peer-pool.js';
import { TrackerClient } from '../tracker/tracker-client.js';
import { Assignments } from './assignments.js';
import { swarmOf } from './swarm.js';

/** While a swarm has fewer peers than it may, the tracker is asked for fresh ones this often. */
const REFRESH_PEERS_MS = 10_000;
/**
 * How long after joining a swarm the player's segments wait for the first peer connections rather
 * than go to HTTP at once (each still within its deadline): about what the tracker's answer and a
 * WebRTC connection take on a loaded machine, short against the buffer a live start leaves.
 */
export const JOIN_GRACE_MS = 2000;

/**
 * @typedef {import('./swarm.js').Swarm} Swarm
 * @typedef {import('./player-contract.js').Rendition} Rendition
 * @typedef {{swarm: Swarm, playlistUrl: string, edge: string, pool: PeerPool, timer: unknown,
 *   newestAnnounced: number | null, lastRequested: number, assignments: Assignments, liveAnnounced: boolean,
 *   joinedAt: number, nobodyToJoin: boolean}} JoinedSwarm
 *   assignments: the tracker's, for this swarm; liveAnnounced: the tracker heard `live: true`;
 *   nobodyToJoin: the tracker answered the join with no peer;
 *   lastRequested: the highest sequence the player asked for
 * @typedef {{
 *   options: import('./options.js').ResolvedOptions,
 *   clock: import('../util/clock.js').Clock,
 *   log: import('../util/log.js').Logger,
 *   WebSocket: typeof WebSocket,
 *   random: () => number,
 *   ice: import('./ice-servers.js').IceServers,
 *   store: import('../store/segment-store.js').SegmentStore,
 *   uploader: import('../upload/uploader.js').Uploader,
 *   integrity: import('../integrity/integrity.js').IntegrityManifests,
 *   stats: import('../stats/stats.js').EngineStats,
 *   playlists: Map<string, Rendition>,
 *   figures: () => import('../tracker/tracker-client.js').Figures,
 *   peersChanged: () => void,
 *   assigned: () => void,
 *   left: (swarm: string) => void,
 * }} SessionParts
 *   playlists: what the player loaded, by URL; figures: the viewer's figures the tracker sums;
 *   peersChanged, assigned: told when peers come, go or announce, and when the tracker assigned a
 *   segment; left: told the swarm left
 */

export class SwarmSession {
  /** @param {SessionParts} parts */
  constructor(parts) {
    this.parts = parts;
    this.options = parts.options;
    /** @type {string | null} the first tracker: the option's, or the route's */
    this.trackerUrl = parts.options.tracker;
    /** @type {string | null} */
    this.joinToken = parts.options.joinToken;
    /** @type {TrackerClient | null} */
    this.tracker = null;
    /** @type {JoinedSwarm | null} the swarm of the rendition being played */
    this.active = null;
    /** @type {Map<string, number>} peer id -> kept away until, across swarms */
    this.banned = new Map();
    /** @type {Map<string, Set<() => void>>} swarm key -> jobs waiting for a peer to change */
    this.waiters = new Map();
    /** Startup is over: the player has its first segment, and the swarm of what it plays is joined. */
    this.opened = false;
  }

  /**
   * The player's first segment arrived (or failed): the swarm of the rendition it plays is joined
   * now, and everything the player loaded meanwhile is taken into account.
   *
   * @param {string} playlistUrl  the playlist of the player's first segment
   * @param {number} sequence  that segment
   */
  open(playlistUrl, sequence) {
    if (this.opened) return;
    this.opened = true;
    const joined = this.activate(playlistUrl);
    joined.lastRequested = Math.max(joined.lastRequested, sequence);
    const rendition = this.parts.playlists.get(playlistUrl);
    if (rendition) this.renditionLoaded(rendition, true);
  }

  /** The tracker and join token a route answer named, instead of the options'. @param {string | null} url @param {string | null} token */
  useTracker(url, token) {
    if (url) this.trackerUrl = url;
    if (token) this.joinToken = token;
  }

  /** The joined swarm with this key, when it is the active one. @param {string} swarm */
  joined(swarm) {
    return this.active?.swarm.key === swarm ? this.active : null;
  }

  /**
   * The player loaded a media playlist: its swarm becomes the active one when none is yet or when
   * it is the rendition played; a live one's tracker entry says so. Nothing before `open`.
   *
   * @param {Rendition} rendition @param {boolean} playing  the rendition the player plays now
   * @returns {JoinedSwarm | null} the active swarm, when it is this rendition's
   */
  renditionLoaded(rendition, playing) {
    if (!this.opened) return null;
    if (!this.active || playing) this.activate(rendition.url);
    const joined = this.active?.playlistUrl === rendition.url ? this.active : null;
    const newest = rendition.segments[rendition.segments.length - 1]?.sequence;
    // A live manifest fetched after its playlist lists the playlist's segments: fetch it now, so
    // that bytes from peers are checked without waiting.
    if (joined && newest !== undefined) this.parts.integrity.refresh(rendition.url, newest);
    // Joined before the playlist said it is live: the tracker learns it now, to steer this viewer.
    if (joined && rendition.live && !joined.liveAnnounced && joined.timer !== null) this.announceJoin(joined);
    return joined;
  }

  /**
   * Makes the swarm of `playlistUrl` the active one: joins it and leaves the previous one (a
   * rendition switch moves the viewer to the new swarm).
   *
   * @param {string} playlistUrl
   * @returns {JoinedSwarm}
   */
  activate(playlistUrl) {
    const swarm = swarmOf(playlistUrl, this.options.swarmId);
    if (this.active?.swarm.key === swarm.key) return this.active;
    const previous = this.active;
    this.active = this.join(swarm, playlistUrl);
    if (previous) this.leave(previous);
    this.parts.log.info(`joined swarm ${swarm.key}`);
    return this.active;
  }

  /** @private @param {Swarm} swarm @param {string} playlistUrl @returns {JoinedSwarm} */
  join(swarm, playlistUrl) {
    const { clock, log, store, uploader, ice } = this.parts;
    const edge = new URL(playlistUrl).origin;
    const tracker = this.ensureTracker();
    const pool = new PeerPool({
      stream: swarm.stream,
      rendition: swarm.rendition,
      maxPeers: this.options.maxPeers,
      maxRequests: this.options.upload ? this.options.uploadSlots : 0,
      iceServers: () => ice.list,
      iceTransportPolicy: this.options.iceTransportPolicy,
      selfId: () => tracker.peerId,
      holdings: () => store.holdings(swarm.key),
      sendSignal: (to, kind, data) => tracker.signal(to, swarm.stream, swarm.rendition, kind, data),
      clock,
      log,
      banned: this.banned,
    });
    pool.on('request', (peer, request) => {
      if (peer.link) uploader.serve(peer.link, swarm.key, request);
    });
    for (const event of /** @type {const} */ (['ready', 'have', 'closed'])) {
      pool.on(event, () => this.peersChanged(swarm.key));
    }
    /** @type {JoinedSwarm} */
    const joined = {
      swarm, playlistUrl, edge, pool, timer: null, newestAnnounced: null, lastRequested: -1,
      assignments: new Assignments(), liveAnnounced: false, joinedAt: clock.now(), nobodyToJoin: false,
    };
    const announce = () => {
      if (this.active !== joined) return;
      this.announceJoin(joined);
      const refresh = () => {
        if (this.active !== joined) return;
        if (pool.connected.length < this.options.maxPeers) this.announceJoin(joined);
        joined.timer = clock.setTimeout(refresh, REFRESH_PEERS_MS);
      };
      joined.timer = clock.setTimeout(refresh, REFRESH_PEERS_MS);
    };
    ice.load(edge).then(announce);
    this.parts.integrity.refresh(playlistUrl);
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
    const live = this.parts.playlists.get(joined.playlistUrl)?.live === true;
    joined.liveAnnounced = live;
    const { uploader, store } = this.parts;
    return { edge: joined.edge, uploadSlots: uploader.freeSlots, have: store.newest(joined.swarm.key), live, reports };
  }

  /** @private @param {JoinedSwarm} joined */
  leave(joined) {
    this.parts.clock.clearTimeout(joined.timer);
    this.parts.left(joined.swarm.key);
    joined.pool.close();
    this.tracker?.leave(joined.swarm.stream, joined.swarm.rendition);
    this.peersChanged(joined.swarm.key);
  }

  /** @private */
  ensureTracker() {
    if (this.tracker) return this.tracker;
    const { clock, log, WebSocket, random, stats } = this.parts;
    // The route's tracker first, then the ones the options name, each once.
    const urls = [this.trackerUrl, this.options.tracker, ...this.options.trackers]
      .filter((url, i, all) => typeof url === 'string' && all.indexOf(url) === i);
    const tracker = new TrackerClient({
      url: /** @type {string[]} */ (urls), token: this.joinToken, clock, log, WebSocket, random,
    });
    tracker.on('peers', (stream, rendition, peers) => {
      const joined = this.joined(`${stream}/${rendition}`);
      if (!joined) return;
      joined.nobodyToJoin = peers.length === 0 && joined.pool.peers.size === 0;
      joined.pool.connectTo(peers);
      // Segments waiting for the first peers stop waiting: there are none.
      if (joined.nobodyToJoin) this.peersChanged(joined.swarm.key);
    });
    tracker.on('signal', (message) => this.joined(`${message.swarm}/${message.rendition}`)?.pool.signal(message));
    tracker.on('moved', () => stats.failedOverTracker());
    // The viewer's figures, summed per stream by the tracker.
    tracker.reportFiguresOf(this.parts.figures);
    tracker.on('assign', ({ swarm, rendition, sequence, fetchers }) => this.assignedTo(`${swarm}/${rendition}`, sequence, fetchers));
    tracker.connect();
    this.tracker = tracker;
    return tracker;
  }

  /**
   * A peer sent bytes that failed the integrity check: dropped for good, reported to the tracker
   * (with a fresh peer list asked for in the same join).
   *
   * @param {string} swarm @param {string} peerId
   */
  reportBad(swarm, peerId) {
    const joined = this.joined(swarm);
    if (!joined) return;
    joined.pool.drop(peerId, 'integrity', Infinity);
    this.tracker?.join(joined.swarm.stream, joined.swarm.rendition,
      this.joinDetails(joined, [{ peerId, reason: 'integrity' }]));
  }

  /**
   * The tracker assigned live segment `sequence` of `swarm` to `fetchers` (docs/PROTOCOL.md,
   * "assign"): recorded for the swarm played, and the jobs told.
   *
   * @private @param {string} swarm @param {number} sequence @param {string[]} fetchers
   */
  assignedTo(swarm, sequence, fetchers) {
    const joined = this.joined(swarm);
    if (!joined) return;
    joined.assignments.record(sequence, fetchers);
    this.parts.assigned();
  }

  /** The store's holdings of `swarm` changed: peers and the tracker hear of it. @param {string} swarm */
  holdingsChanged(swarm) {
    const joined = this.joined(swarm);
    if (!joined) return;
    joined.pool.announce();
    const newest = this.parts.store.newest(swarm);
    if (newest !== null && newest !== joined.newestAnnounced) {
      joined.newestAnnounced = newest;
      this.tracker?.have(joined.swarm.stream, joined.swarm.rendition, newest);
    }
  }

  /** @private @param {string} swarm */
  peersChanged(swarm) {
    const waiting = this.waiters.get(swarm);
    if (waiting) [...waiting].forEach((wake) => wake());
    this.parts.peersChanged();
  }

  /**
   * Calls `listener` each time a peer of `swarm` comes, goes or announces; returns its removal.
   *
   * @param {string} swarm @param {() => void} listener
   */
  onPeerChange(swarm, listener) {
    let set = this.waiters.get(swarm);
    if (!set) this.waiters.set(swarm, (set = new Set()));
    set.add(listener);
    return () => set?.delete(listener);
  }

  /**
   * Until when this viewer is still joining `swarm`: joined less than JOIN_GRACE_MS ago, no viewer
   * connected yet, and the tracker did not answer that there is nobody; 0 otherwise.
   *
   * @param {string} swarm
   * @returns {number}
   */
  joiningUntil(swarm) {
    const joined = this.joined(swarm);
    if (!joined || joined.nobodyToJoin || joined.pool.viewers.length > 0) return 0;
    return joined.joinedAt + JOIN_GRACE_MS;
  }

  /** The swarm's peers when P2P may be used for it (played, manifest usable), else null. @param {string} swarm */
  poolFor(swarm) {
    const joined = this.joined(swarm);
    return joined && this.parts.integrity.usable(joined.playlistUrl) ? joined.pool : null;
  }

  /**
   * Whether this viewer fetches new live segment `sequence` over HTTP at once, to seed the swarm.
   * When the tracker assigned the segment (steering): exactly when it named this viewer. Otherwise
   * the engine's own rule: always when it is the oldest among its viewer peers (every connection
   * to a viewer came from newer viewers, who found it in the tracker's list; edge seeders, which
   * every viewer connects to, do not count), else with the chance `seedShare`. Viewers who joined
   * later then get new segments from it, and a share 0 never seeds by this rule.
   *
   * @param {string} swarm @param {number} sequence
   */
  seeds(swarm, sequence) {
    return this.assignment(swarm, sequence) ?? this.seedsOnItsOwn(swarm);
  }

  /**
   * Whether the tracker named this viewer for `sequence`; null when it named nobody we know of.
   *
   * @param {string} swarm @param {number} sequence @returns {boolean | null}
   */
  assignment(swarm, sequence) {
    return this.joined(swarm)?.assignments.names(sequence, this.tracker?.peerId ?? null) ?? null;
  }

  /**
   * The engine's own seeding rule: the viewer oldest among its peers (every connection was offered
   * by newer viewers, who found it in the tracker's list) seeds, and a random `seedShare` of the
   * others. Not while still joining: with no peer yet it would be "oldest" of nobody, and fetch its
   * whole first buffer over HTTP.
   *
   * @param {string} swarm
   */
  seedsOnItsOwn(swarm) {
    const joined = this.joined(swarm);
    const { seedShare } = this.options;
    if (!joined || seedShare <= 0 || this.joiningUntil(swarm) > this.parts.clock.now()) return false;
    return joined.pool.viewers.every((peer) => !peer.initiator) || this.parts.random() < seedShare;
  }

  /** The swarm's part of the engine's statistics. */
  figures() {
    const pool = this.active?.pool;
    return {
      // Viewers and edge seeders apart: a seeder is the edge, not the swarm's.
      peers: pool?.viewers.length ?? 0,
      seeders: (pool?.connected.length ?? 0) - (pool?.viewers.length ?? 0),
      swarm: this.active?.swarm.key ?? null,
      tracker: this.tracker?.state ?? 'off',
    };
  }

  /** Leaves the swarm (BYE to each peer) and closes the tracker connection. */
  close() {
    if (this.active) this.leave(this.active);
    this.active = null;
    this.tracker?.close();
  }
}
