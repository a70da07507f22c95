/**
 * The engine's options, their defaults and their checks. The README documents them; the
 * <p2p-player> element maps its attributes onto them.
 */
import { LOG_LEVELS } from '../util/log.js';

/**
 * @typedef {object} EngineOptions
 * @property {string | null} [tracker]  WebSocket URL of the tracker (ws://host:8090/ws)
 * @property {string[]} [trackers]  WebSocket URLs of more trackers, after the first (`tracker`'s or the route's): when the tracker connection dies, the engine reconnects to the next in turn and joins its swarms there
 * @property {string | null} [route]  URL of the tracker's /route: asked for the edge and tracker to use (overrides tracker)
 * @property {string | null} [swarmId]  stream name of the swarms, instead of the one read from playlist URLs
 * @property {boolean} [p2p]  share segments with peers at all (false: plain hls.js)
 * @property {boolean} [upload]  serve segments to peers
 * @property {number} [maxPeers]  peers connected at once, per swarm
 * @property {number} [httpWindow]  seconds: segments due sooner come over HTTP
 * @property {number} [p2pWindow]  seconds: segments due up to this far ahead are fetched from peers before the player asks
 * @property {number} [maxUploadRate]  bytes per second served to peers, all together (0: no limit)
 * @property {number} [uploadSlots]  transfers served at once
 * @property {number} [maxCacheBytes]  memory for segments kept to serve peers
 * @property {number} [seedShare]  0..1: the chance that this viewer fetches a new live segment over HTTP at once, to seed the swarm
 * @property {import('../util/log.js').LogLevel} [logLevel]
 * @property {RTCIceServer[] | null} [iceServers]  default: the edge's /_edge/ice-servers
 * @property {RTCIceTransportPolicy} [iceTransportPolicy]  'all', or 'relay': peers only through TURN relays (the route's)
 * @property {import('../integrity/integrity.js').KeyDocument | string | null} [integrityKey]  the origin's key document, or its URL (default: /keys/integrity.json of the edge)
 * @property {string | null} [joinToken]  the tracker's join token, when it requires one (route answers bring their own)
 */

/** @type {Required<EngineOptions>} */
export const DEFAULTS = {
  tracker: null,
  /** @type {string[]} */
  trackers: [],
  route: null,
  swarmId: null,
  p2p: true,
  upload: true,
  maxPeers: 6,
  httpWindow: 2,
  p2pWindow: 20,
  maxUploadRate: 2_000_000,
  uploadSlots: 4,
  maxCacheBytes: 64 * 1024 * 1024,
  seedShare: 0.05,
  logLevel: 'warn',
  iceServers: null,
  iceTransportPolicy: 'all',
  integrityKey: null,
  joinToken: null,
};

/** @typedef {typeof DEFAULTS} ResolvedOptions */

/**
 * Defaults filled in; a value of the wrong type or out of range throws, naming the option.
 *
 * @param {EngineOptions} [options]
 * @returns {ResolvedOptions}
 */
export function resolveOptions(options = {}) {
  const known = new Set(Object.keys(DEFAULTS));
  for (const name of Object.keys(options)) {
    if (!known.has(name)) throw new TypeError(`swarmcdn: unknown option ${name}`);
  }
  const o = { ...DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) };
  /** @param {string} name @param {number} min @param {number} max */
  const number = (name, min, max) => {
    const value = /** @type {any} */ (o)[name];
    if (typeof value !== 'number' || !(value >= min && value <= max)) {
      throw new RangeError(`swarmcdn: option ${name} must be a number from ${min} to ${max}, not ${value}`);
    }
  };
  number('maxPeers', 1, 50);
  number('httpWindow', 0, 600);
  number('p2pWindow', 0, 3600);
  number('maxUploadRate', 0, Number.MAX_SAFE_INTEGER);
  number('uploadSlots', 0, 1024);
  number('maxCacheBytes', 0, Number.MAX_SAFE_INTEGER);
  number('seedShare', 0, 1);
  for (const name of /** @type {const} */ (['p2p', 'upload'])) {
    if (typeof o[name] !== 'boolean') throw new TypeError(`swarmcdn: option ${name} must be true or false`);
  }
  for (const name of /** @type {const} */ (['tracker', 'route', 'swarmId', 'joinToken'])) {
    if (o[name] !== null && typeof o[name] !== 'string') throw new TypeError(`swarmcdn: option ${name} must be a string`);
  }
  if (!Array.isArray(o.trackers) || !o.trackers.every((url) => typeof url === 'string')) {
    throw new TypeError('swarmcdn: option trackers must be an array of strings');
  }
  if (o.iceTransportPolicy !== 'all' && o.iceTransportPolicy !== 'relay') {
    throw new RangeError(`swarmcdn: option iceTransportPolicy must be 'all' or 'relay', not ${o.iceTransportPolicy}`);
  }
  if (!LOG_LEVELS.includes(o.logLevel)) throw new RangeError(`swarmcdn: logLevel must be one of ${LOG_LEVELS.join(', ')}`);
  return o;
}
