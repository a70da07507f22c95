/**
 * The peers of one swarm: a bounded set, chosen in the tracker's order (closest and freshest
 * first), connected through the tracker's signal relay, each with a PeerLink once its data channel
 * is open and a PeerScore of how it serves us. Peers that misbehave are dropped and kept away for a
 * while; one that sent bad bytes, for the rest of the session.
 */
import { Emitter } from '../util/emitter.js';
import { PeerScore } from '../scheduler/scheduler.js';
import { SEEDER } from './frames.js';
import { PeerLink } from './peer-link.js';
import { RtcSession } from './rtc.js';

/** A peer whose channel is not up after this long is given up. */
const CONNECT_TIMEOUT_MS = 15_000;
/** A peer that could not be reached is not tried again for this long. */
const UNREACHABLE_BAN_MS = 30_000;
/** Our HELLO: requests of at most this many bytes (a whole segment of any usual size). */
const MAX_REQUEST_BYTES = 16 * 1024 * 1024;
/**
 * Offers from viewers are answered up to this many beyond `maxPeers`: the viewers that joined first
 * fill each other's pools, and a late one would find every pool full and no viewer to take segments
 * from.
 */
const EXTRA_ANSWERED = 2;
/** Edge seeders connected at once at most, besides `maxPeers` viewers. */
const MAX_SEEDERS = 2;

/**
 * @typedef {import('../tracker/tracker-client.js').TrackerPeer} TrackerPeer
 * @typedef {import('../tracker/tracker-client.js').SignalMessage} SignalMessage
 * @typedef {{id: string, initiator: boolean, listedSeeder: boolean, session: {signal: (kind: any, data: any) => unknown,
 *   offer: () => unknown, close: () => void}, link: PeerLink | null, score: PeerScore, timer: unknown}} Peer
 * @typedef {{
 *   ready: (peer: Peer) => void,
 *   have: (peer: Peer) => void,
 *   request: (peer: Peer, request: import('./frames.js').Request) => void,
 *   closed: (peer: Peer) => void,
 * }} PoolEvents
 * @typedef {{initiator: boolean, iceServers: RTCIceServer[], iceTransportPolicy?: RTCIceTransportPolicy, sendSignal: (kind: 'offer' | 'answer' | 'ice', data: unknown) => void,
 *   onChannel: (channel: any) => void, onFailed: () => void, log: import('../util/log.js').Logger}} SessionOptions
 */

/** @extends {Emitter<PoolEvents>} */
export class PeerPool extends Emitter {
  /**
   * @param {{stream: string, rendition: string, maxPeers: number, maxRequests: number,
   *   iceServers: () => RTCIceServer[], iceTransportPolicy?: RTCIceTransportPolicy, selfId: () => string | null,
   *   holdings: () => {held: import('./frames.js').SequenceRange[], fetching: import('./frames.js').SequenceRange[]},
   *   sendSignal: (to: string, kind: 'offer' | 'answer' | 'ice', data: unknown) => void,
   *   clock: import('../util/clock.js').Clock, log: import('../util/log.js').Logger,
   *   banned?: Map<string, number>, createSession?: (options: SessionOptions) => Peer['session']}} options
   *   maxRequests: how many open requests each peer may have with us (0: we serve nothing);
   *   banned: peer id -> kept away until, shared by the pools of one engine
   */
  constructor({ stream, rendition, maxPeers, maxRequests, iceServers, iceTransportPolicy = 'all', selfId, holdings, sendSignal, clock, log,
    banned = new Map(), createSession = (options) => new RtcSession(options) }) {
    super();
    this.holdings = holdings;
    this.stream = stream;
    this.rendition = rendition;
    this.maxPeers = maxPeers;
    this.maxRequests = maxRequests;
    this.iceServers = iceServers;
    this.iceTransportPolicy = iceTransportPolicy;
    this.selfId = selfId;
    this.sendSignal = sendSignal;
    this.clock = clock;
    this.log = log;
    this.createSession = createSession;
    /** @type {Map<string, Peer>} */
    this.peers = new Map();
    this.banned = banned;
    this.closed = false;
  }

  /** Peers with an open, greeted link, viewers and edge seeders. */
  get connected() {
    return [...this.peers.values()].filter((peer) => peer.link?.ready);
  }

  /** Connected viewers: edge seeders left out. */
  get viewers() {
    return this.connected.filter((peer) => !isSeeder(peer));
  }

  /** Viewers whose last HAVE lists `sequence` as held and that let us open one more request. @param {number} sequence */
  holders(sequence) {
    return this.viewers.filter((peer) => canServe(peer, sequence));
  }

  /**
   * Edge seeders whose last HAVE lists `sequence` as held and that let us open one more request: a
   * rescue from HTTP only, never a prefetch source.
   *
   * @param {number} sequence
   */
  seeders(sequence) {
    return this.connected.filter((peer) => isSeeder(peer) && canServe(peer, sequence));
  }

  /** How many viewers announce they are fetching `sequence`. @param {number} sequence */
  fetchers(sequence) {
    return this.viewers.filter((peer) => /** @type {PeerLink} */ (peer.link).holds(sequence) === 'fetching').length;
  }

  /**
   * Whether `maxPeers` viewers are connected or connecting. Edge seeders take no viewer's place: a
   * seeder is the edge, and a pool filled by it would leave a late viewer with no viewers.
   */
  get full() {
    return this.count(false) >= this.maxPeers;
  }

  /** @private @param {boolean} seeders */
  count(seeders) {
    return [...this.peers.values()].filter((peer) => (peer.listedSeeder || isSeeder(peer)) === seeders).length;
  }

  /**
   * Offers connections to peers from the tracker's list, in its order: viewers until the pool is
   * full, edge seeders up to `MAX_SEEDERS` besides.
   *
   * @param {TrackerPeer[]} candidates
   */
  connectTo(candidates) {
    const self = this.selfId();
    for (const { peerId, seeder = false } of candidates) {
      if (this.closed || peerId === self || this.peers.has(peerId) || this.isBanned(peerId)) continue;
      if (seeder ? this.count(true) >= MAX_SEEDERS : this.full) continue;
      this.add(peerId, true, seeder).session.offer();
    }
  }

  /** A signal relayed from a peer of this swarm. @param {SignalMessage} message */
  signal(message) {
    if (this.closed) return;
    let peer = this.peers.get(message.from);
    if (message.kind === 'offer') {
      if (peer && peer.initiator && !peer.link?.ready) {
        // Both offered at once: the offer of the peer with the lower id stands.
        const self = this.selfId();
        if (self !== null && self < message.from) return;
        this.remove(peer);
        peer = undefined;
      }
      if (!peer) {
        if (this.count(false) >= this.maxPeers + EXTRA_ANSWERED || this.isBanned(message.from)) return;
        peer = this.add(message.from, false, false);
      }
    }
    peer?.session.signal(message.kind, message.data);
  }

  /** Sends our holdings to every connected peer (each link coalesces bursts). */
  announce() {
    const { held, fetching } = this.holdings();
    for (const peer of this.connected) /** @type {PeerLink} */ (peer.link).sendHave(held, fetching);
  }

  /**
   * Drops a peer: BYE with the reason, and keeps it away for `banMs` (Infinity: for good).
   *
   * @param {string} id
   * @param {import('./frames.js').ByeReason} reason
   * @param {number} banMs
   */
  drop(id, reason, banMs) {
    const peer = this.peers.get(id);
    if (banMs > 0) this.banned.set(id, this.clock.now() + banMs);
    if (!peer) return;
    peer.link?.close(reason);
    this.remove(peer);
  }

  /** Leaves the swarm: BYE leaving to everyone. */
  close() {
    this.closed = true;
    for (const peer of [...this.peers.values()]) {
      peer.link?.close('leaving');
      this.remove(peer);
    }
  }

  /** @private @param {string} id */
  isBanned(id) {
    const until = this.banned.get(id);
    if (until === undefined) return false;
    if (this.clock.now() < until) return true;
    this.banned.delete(id);
    return false;
  }

  /** @private @param {string} id @param {boolean} initiator @param {boolean} listedSeeder */
  add(id, initiator, listedSeeder) {
    /** @type {Peer} */
    const peer = {
      id,
      initiator,
      listedSeeder,
      link: null,
      score: new PeerScore(),
      timer: this.clock.setTimeout(() => {
        if (!peer.link?.ready) {
          this.log.debug(`peer ${id} did not connect in time`);
          this.drop(id, 'leaving', UNREACHABLE_BAN_MS);
        }
      }, CONNECT_TIMEOUT_MS),
      session: /** @type {any} */ (null),
    };
    peer.session = this.createSession({
      initiator,
      iceServers: this.iceServers(),
      iceTransportPolicy: this.iceTransportPolicy,
      sendSignal: (kind, data) => this.sendSignal(id, kind, data),
      onChannel: (channel) => this.attach(peer, channel),
      onFailed: () => {
        if (this.peers.get(id) !== peer) return;
        this.banned.set(id, this.clock.now() + UNREACHABLE_BAN_MS);
        this.remove(peer);
      },
      log: this.log,
    });
    this.peers.set(id, peer);
    return peer;
  }

  /** @private @param {Peer} peer @param {any} channel */
  attach(peer, channel) {
    const link = new PeerLink(channel, {
      hello: { stream: this.stream, rendition: this.rendition, flags: 0, maxRequests: this.maxRequests,
        maxRequestBytes: MAX_REQUEST_BYTES },
      clock: this.clock,
      log: this.log,
      holdings: this.holdings,
    });
    peer.link = link;
    link.on('ready', () => {
      this.clock.clearTimeout(peer.timer);
      this.emit('ready', peer);
    });
    link.on('have', () => this.emit('have', peer));
    link.on('request', (request) => this.emit('request', peer, request));
    link.on('close', ({ reason, remote }) => {
      this.log.debug(`peer ${peer.id} closed: ${reason}${remote ? ' (by the peer)' : ''}`);
      if (this.peers.get(peer.id) === peer) this.remove(peer);
    });
  }

  /** @private @param {Peer} peer */
  remove(peer) {
    if (this.peers.get(peer.id) !== peer) return;
    this.peers.delete(peer.id);
    this.clock.clearTimeout(peer.timer);
    peer.link?.close('leaving');
    peer.session.close();
    this.emit('closed', peer);
  }
}

/**
 * Whether a peer is an edge seeder: its HELLO has the seeder flag. Its bytes are edge bytes, never
 * P2P, and it is asked only as a rescue from HTTP.
 *
 * @param {Peer} peer
 */
export function isSeeder(peer) {
  return ((peer.link?.remote?.flags ?? 0) & SEEDER) !== 0;
}

/** @param {Peer} peer @param {number} sequence */
function canServe(peer, sequence) {
  const link = /** @type {PeerLink} */ (peer.link);
  return link.holds(sequence) === 'held' && link.requestSlots > 0;
}
