/**
 * The tracker protocol (docs/PROTOCOL.md, "Tracker protocol") over one WebSocket: join, leave,
 * signal, have, stats, ping; peers, signals and assignments from the tracker. Reconnects with exponential
 * backoff and joins its swarms again (with the newest segment it holds); given several trackers, each
 * reconnect goes to the next one in turn, so a dead tracker costs one backoff. Keeps the connection
 * alive with pings when it has nothing else to say.
 */
import { Emitter } from '../util/emitter.js';
import { decodeServerFrame, joinFields, TrackerFrameError } from './tracker-frames.js';

const MIN_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 30_000;

/**
 * @typedef {import('./tracker-frames.js').TrackerPeer} TrackerPeer
 * @typedef {import('./tracker-frames.js').ServerSignal} SignalMessage
 * @typedef {import('./tracker-frames.js').Assign} Assign
 * @typedef {import('./tracker-frames.js').JoinDetails} JoinDetails
 * @typedef {'connecting' | 'open' | 'closed'} TrackerState
 * @typedef {{
 *   welcome: (peerId: string) => void,
 *   peers: (swarm: string, rendition: string, peers: TrackerPeer[]) => void,
 *   signal: (message: SignalMessage) => void,
 *   assign: (assignment: Assign) => void,
 *   state: (state: TrackerState) => void,
 *   moved: (url: string) => void,
 * }} TrackerEvents
 *   moved: welcomed by another tracker than the one before; the swarms are joined again there
 */

/** How often a viewer reports its figures to the swarm it joined last (docs/PROTOCOL.md, "stats"). */
export const REPORT_INTERVAL_MS = 5_000;

/**
 * @typedef {{http: number, p2p: number, seeder: number, uploaded: number, stalls: number, integrityFailures: number}} Figures
 *   the player's counters since it started, for a `stats` frame
 */

/** @extends {Emitter<TrackerEvents>} */
export class TrackerClient extends Emitter {
  /**
   * @param {{url: string | string[], token?: string | null, clock: import('../util/clock.js').Clock,
   *   log: import('../util/log.js').Logger, WebSocket?: typeof WebSocket, random?: () => number}} options
   *   url: the tracker's WebSocket URL, or several trackers', tried in turn
   */
  constructor({ url, token = null, clock, log, WebSocket = globalThis.WebSocket, random = Math.random }) {
    super();
    this.urls = Array.isArray(url) ? url : [url];
    if (this.urls.length === 0) throw new TypeError('swarmcdn: no tracker URL');
    /** the tracker tried now, an index into urls */
    this.current = 0;
    /** @type {string | null} the tracker that last welcomed us */
    this.welcomedBy = null;
    this.token = token;
    this.clock = clock;
    this.log = log;
    this.WebSocket = WebSocket;
    this.random = random;
    /** @type {WebSocket | null} */
    this.socket = null;
    /** @type {string | null} */
    this.peerId = null;
    /** @type {TrackerState} */
    this.state = 'closed';
    this.stopped = false;
    this.backoff = MIN_BACKOFF_MS;
    this.pingIntervalMs = 20_000;
    this.lastSentAt = 0;
    /** @type {unknown} */
    this.pingTimer = null;
    /** @type {unknown} */
    this.retryTimer = null;
    /** @type {Map<string, {swarm: string, rendition: string, details: JoinDetails}>} what to join again after a reconnect */
    this.joined = new Map();
    /** @type {(() => Figures) | null} */
    this.figures = null;
    /** @type {unknown} */
    this.reportTimer = null;
    /** @type {{swarm: string, rendition: string} | null} the swarm joined last: the one reports go to */
    this.latest = null;
    /** whether this connection carries a report yet: its first, right after joining, is the tracker's baseline */
    this.reported = false;
  }

  /** Reports `figures()` every REPORT_INTERVAL_MS while joined, and right after joining. @param {() => Figures} figures */
  reportFiguresOf(figures) {
    this.figures = figures;
  }

  /** The tracker this client connects to now. */
  get url() {
    return this.urls[this.current];
  }

  connect() {
    if (this.stopped || this.socket) return;
    this.setState('connecting');
    let socket;
    try {
      socket = new this.WebSocket(this.url);
    } catch (e) {
      this.log.warn(`tracker ${this.url}:`, /** @type {Error} */ (e).message);
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.addEventListener('message', (event) => this.receive(event.data));
    socket.addEventListener('close', (event) => {
      if (this.socket !== socket) return;
      this.log.info(`tracker connection closed (${event.code})`);
      this.dropSocket();
      this.scheduleReconnect();
    });
    socket.addEventListener('error', () => this.log.debug('tracker socket error'));
  }

  /** Joins a swarm (again: refreshes the entry and asks for a fresh peer list). @param {string} swarm @param {string} rendition @param {JoinDetails} details */
  join(swarm, rendition, details) {
    const { reports, ...kept } = details;
    this.joined.set(`${swarm}/${rendition}`, { swarm, rendition, details: kept });
    this.latest = { swarm, rendition };
    this.send({ type: 'join', swarm, rendition, ...joinFields(details), ...(this.token ? { token: this.token } : {}) });
    if (this.figures && !this.reported) this.reported = this.report();
  }

  /** @param {string} swarm @param {string} rendition */
  leave(swarm, rendition) {
    if (!this.joined.delete(`${swarm}/${rendition}`)) return;
    this.send({ type: 'leave', swarm, rendition });
    if (this.latest?.swarm === swarm && this.latest.rendition === rendition) {
      const remaining = [...this.joined.values()].pop();
      this.latest = remaining ? { swarm: remaining.swarm, rendition: remaining.rendition } : null;
    }
  }

  /** @param {string} to @param {string} swarm @param {string} rendition @param {'offer' | 'answer' | 'ice'} kind @param {unknown} data */
  signal(to, swarm, rendition, kind, data) {
    this.send({ type: 'signal', to, swarm, rendition, kind, data });
  }

  /** @param {string} swarm @param {string} rendition @param {number} newest */
  have(swarm, rendition, newest) {
    const entry = this.joined.get(`${swarm}/${rendition}`);
    if (!entry) return;
    entry.details.have = newest;
    this.send({ type: 'have', swarm, rendition, newest });
  }

  close() {
    this.stopped = true;
    this.clock.clearTimeout(this.retryTimer);
    const socket = this.socket;
    this.dropSocket();
    socket?.close(1000);
    this.setState('closed');
  }

  /** @private @param {Record<string, unknown>} frame */
  send(frame) {
    if (this.state !== 'open' || !this.socket) return false;
    this.socket.send(JSON.stringify({ v: 1, ...frame }));
    this.lastSentAt = this.clock.now();
    return true;
  }

  /** @private @param {unknown} data */
  receive(data) {
    let frame;
    try {
      frame = decodeServerFrame(String(data));
    } catch (e) {
      if (!(e instanceof TrackerFrameError)) throw e;
      // Types of later versions are not for this peer; anything else broken is the tracker's bug.
      if (e.code !== 'unknown_type') this.log.warn(`tracker sent a frame this peer cannot read (${e.code}): ${e.message}`);
      return;
    }
    switch (frame.type) {
      case 'welcome':
        this.peerId = frame.peerId;
        this.pingIntervalMs = frame.pingIntervalMs;
        this.backoff = MIN_BACKOFF_MS;
        this.setState('open');
        if (this.welcomedBy !== null && this.welcomedBy !== this.url) {
          this.log.info(`tracker ${this.url} welcomed us after ${this.welcomedBy}; joining our swarms there`);
          this.emit('moved', this.url);
        }
        this.welcomedBy = this.url;
        this.emit('welcome', frame.peerId);
        for (const { swarm, rendition, details } of this.joined.values()) this.join(swarm, rendition, details);
        this.schedulePing();
        this.scheduleReport();
        break;
      case 'peers':
        this.emit('peers', frame.swarm, frame.rendition, frame.peers);
        break;
      case 'signal':
        this.emit('signal', frame);
        break;
      case 'assign':
        this.emit('assign', frame);
        break;
      case 'error':
        this.log.warn(`tracker refused ${frame.ref ?? 'a frame'}: ${frame.code} (${frame.message})`);
        break;
      default:
        break; // pong
    }
  }

  /** @private */
  schedulePing() {
    const half = this.pingIntervalMs / 2;
    this.pingTimer = this.clock.setTimeout(() => {
      if (this.state !== 'open') return;
      if (this.clock.now() - this.lastSentAt >= half) this.send({ type: 'ping' });
      this.schedulePing();
    }, half);
  }

  /** @private @returns {boolean} whether a report went out */
  report() {
    if (!this.figures || !this.latest) return false;
    const { http, p2p, seeder, uploaded, stalls, integrityFailures } = this.figures();
    return this.send({ type: 'stats', ...this.latest, http, p2p, seeder, uploaded, stalls, integrityFailures });
  }

  /** @private */
  scheduleReport() {
    if (!this.figures) return;
    this.reportTimer = this.clock.setTimeout(() => {
      if (this.state !== 'open') return;
      this.reported = this.report() || this.reported;
      this.scheduleReport();
    }, REPORT_INTERVAL_MS);
  }

  /** @private */
  dropSocket() {
    this.socket = null;
    this.peerId = null;
    this.reported = false;
    this.clock.clearTimeout(this.pingTimer);
    this.pingTimer = null;
    this.clock.clearTimeout(this.reportTimer);
    this.reportTimer = null;
  }

  /** @private */
  scheduleReconnect() {
    if (this.stopped) return;
    this.setState('closed');
    this.current = (this.current + 1) % this.urls.length;
    const wait = this.backoff * (0.5 + this.random());
    this.backoff = Math.min(MAX_BACKOFF_MS, this.backoff * 2);
    this.retryTimer = this.clock.setTimeout(() => this.connect(), wait);
  }

  /** @private @param {TrackerState} state */
  setState(state) {
    if (this.state === state) return;
    this.state = state;
    this.emit('state', state);
  }
}
