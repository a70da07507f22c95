/**
 * The JSON frames of the tracker protocol, version 1 (docs/PROTOCOL.md, "Tracker protocol"), as a
 * peer reads and writes them: strict decoding of what the tracker sends (the rules of every frame,
 * then the fields of its type; fields it does not know are ignored), and the join a viewer sends.
 * The Java codec (dev.swarmcdn.protocol.tracker.TrackerCodec) reads the same frames the same way;
 * both pass protocol/src/test/resources/vectors/tracker/server.
 *
 * A decoded frame is its canonical form: the members the protocol defines, optional ones only when
 * given (`null` counts as absent), nothing else.
 */

export const VERSION = 1;
/** The most fetchers one `assign` names. */
export const MAX_FETCHERS = 16;
/** 2^53-1: every counter and sequence on the wire is an exact JavaScript number. */
const MAX_COUNT = Number.MAX_SAFE_INTEGER;
const MAX_NAME = 128;
const MAX_PEER_ID = 64;
const NAME = new RegExp(`^[\\x21-\\x7e]{1,${MAX_NAME}}$`);
const PEER_ID = new RegExp(`^[A-Za-z0-9_-]{1,${MAX_PEER_ID}}$`);
const LOCALITIES = /** @type {const} */ (['edge', 'network', 'any']);
const SIGNAL_KINDS = /** @type {const} */ (['offer', 'answer', 'ice']);
export const ERROR_CODES = /** @type {const} */ ([
  'malformed', 'unknown_type', 'unsupported_version', 'too_large', 'rate_limited', 'unknown_peer',
  'not_joined', 'unauthorized', 'limit_exceeded',
]);

/**
 * @typedef {{peerId: string, locality: 'edge' | 'network' | 'any', have?: number, seeder?: true}} TrackerPeer
 *   seeder: the peer is an edge seeder (absent for viewers)
 * @typedef {{v: 1, type: 'welcome', peerId: string, pingIntervalMs: number}} Welcome
 * @typedef {{v: 1, type: 'peers', swarm: string, rendition: string, peers: TrackerPeer[]}} Peers
 * @typedef {{v: 1, type: 'signal', from: string, swarm: string, rendition: string,
 *   kind: 'offer' | 'answer' | 'ice', data: any}} ServerSignal
 * @typedef {{v: 1, type: 'pong'}} Pong
 * @typedef {{v: 1, type: 'error', code: typeof ERROR_CODES[number], message: string, ref?: string}} ErrorFrame
 * @typedef {{v: 1, type: 'assign', swarm: string, rendition: string, sequence: number, fetchers: string[]}} Assign
 *   the named members fetch live segment `sequence` over HTTP as soon as their playlist lists it
 * @typedef {Welcome | Peers | ServerSignal | Pong | ErrorFrame | Assign} ServerFrame
 * @typedef {{edge: string, uploadSlots: number, have?: number | null, live?: boolean,
 *   reports?: Array<{peerId: string, reason: string}>}} JoinDetails
 *   live: the viewer plays a live playlist (the tracker steers only such members)
 */

/** A frame that breaks the protocol: `code` as the tracker's error codes name it, `ref` its type. */
export class TrackerFrameError extends Error {
  /** @param {'malformed' | 'unknown_type' | 'unsupported_version'} code @param {string} message @param {string} [ref] */
  constructor(code, message, ref) {
    super(message);
    this.name = 'TrackerFrameError';
    this.code = code;
    this.ref = ref;
  }
}

/**
 * Reads one frame the tracker sent.
 *
 * @param {string} text  the WebSocket message
 * @returns {ServerFrame}
 * @throws {TrackerFrameError}
 */
export function decodeServerFrame(text) {
  let root;
  try {
    root = JSON.parse(text);
  } catch {
    throw new TrackerFrameError('malformed', 'not a single JSON document');
  }
  if (typeof root !== 'object' || root === null || Array.isArray(root)) {
    throw new TrackerFrameError('malformed', 'a frame must be a JSON object');
  }
  if (!Number.isInteger(root.v)) throw new TrackerFrameError('malformed', 'v must be an integer');
  if (root.v !== VERSION) throw new TrackerFrameError('unsupported_version', `this peer speaks version ${VERSION}`);
  if (typeof root.type !== 'string') throw new TrackerFrameError('malformed', 'type must be a string');
  const fields = new Fields(root);
  try {
    switch (root.type) {
      case 'welcome': {
        const peerId = fields.peerId('peerId');
        const pingIntervalMs = fields.count('pingIntervalMs');
        if (pingIntervalMs === 0) throw new RangeError('pingIntervalMs must be positive');
        return { v: VERSION, type: 'welcome', peerId, pingIntervalMs };
      }
      case 'peers':
        return { v: VERSION, type: 'peers', ...fields.swarm(), peers: fields.peers() };
      case 'signal':
        return {
          v: VERSION, type: 'signal', from: fields.peerId('from'), ...fields.swarm(),
          kind: fields.oneOf('kind', SIGNAL_KINDS), data: fields.present('data'),
        };
      case 'pong':
        return { v: VERSION, type: 'pong' };
      case 'error': {
        const ref = fields.optionalText('ref');
        return {
          v: VERSION, type: 'error', code: fields.oneOf('code', ERROR_CODES), message: fields.text('message'),
          ...(ref !== undefined ? { ref } : {}),
        };
      }
      case 'assign':
        return { v: VERSION, type: 'assign', ...fields.swarm(), sequence: fields.count('sequence'), fetchers: fields.fetchers() };
      default:
        // The unknown name is not echoed: it is the sender's text, of any length.
        throw new TrackerFrameError('unknown_type', 'unknown type');
    }
  } catch (e) {
    if (e instanceof RangeError) throw new TrackerFrameError('malformed', e.message, root.type);
    throw e;
  }
}

/**
 * The join frame's fields (without `v`, `type`, `swarm`, `rendition`, `token`): `have` only when
 * known, `live` only when true, `reports` only when there are some. A browser never joins as a
 * seeder: `seeder` is never written.
 *
 * @param {JoinDetails} details
 */
export function joinFields({ edge, uploadSlots, have, live, reports }) {
  return {
    edge,
    uploadSlots,
    ...(have !== null && have !== undefined ? { have } : {}),
    ...(live === true ? { live: true } : {}),
    ...(reports && reports.length > 0 ? { reports } : {}),
  };
}

/** The fields of one frame, each read by its rule; a broken rule is a RangeError. */
class Fields {
  /** @param {Record<string, any>} root */
  constructor(root) {
    this.root = root;
  }

  /** @param {string} name @returns {unknown} absent and null alike: undefined */
  optional(name) {
    const value = this.root[name];
    return value === null ? undefined : value;
  }

  /** Any JSON value, null included, but the member must be there. @param {string} name */
  present(name) {
    if (!Object.prototype.hasOwnProperty.call(this.root, name)) throw new RangeError(`${name} is required`);
    return this.root[name];
  }

  /** @param {string} name @returns {string | undefined} */
  optionalText(name) {
    const value = this.optional(name);
    if (value !== undefined && typeof value !== 'string') throw new RangeError(`${name} must be a string`);
    return value;
  }

  /** @param {string} name */
  text(name) {
    const value = this.optionalText(name);
    if (value === undefined) throw new RangeError(`${name} is required`);
    return value;
  }

  /** @template {string} T @param {string} name @param {readonly T[]} allowed @returns {T} */
  oneOf(name, allowed) {
    const value = this.text(name);
    if (!allowed.includes(/** @type {T} */ (value))) throw new RangeError(`${name} must be one of ${allowed.join(', ')}`);
    return /** @type {T} */ (value);
  }

  /** @param {string} name */
  count(name) {
    const value = this.optional(name);
    if (value === undefined) throw new RangeError(`${name} is required`);
    return checkCount(name, value);
  }

  /** @param {string} name */
  peerId(name) {
    return checkPeerId(name, this.text(name));
  }

  swarm() {
    return { swarm: checkName('swarm', this.text('swarm')), rendition: checkName('rendition', this.text('rendition')) };
  }

  /** @returns {TrackerPeer[]} */
  peers() {
    const list = this.root.peers;
    if (!Array.isArray(list)) throw new RangeError('peers must be an array');
    return list.map((entry) => {
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new RangeError('peers must hold objects');
      const peer = new Fields(entry);
      const have = peer.optional('have');
      const seeder = peer.optional('seeder');
      if (seeder !== undefined && typeof seeder !== 'boolean') throw new RangeError('seeder must be a boolean');
      return {
        peerId: peer.peerId('peerId'),
        locality: peer.oneOf('locality', LOCALITIES),
        ...(have !== undefined ? { have: checkCount('have', have) } : {}),
        ...(seeder === true ? { seeder: true } : {}),
      };
    });
  }

  /** 1 to MAX_FETCHERS distinct peer ids. @returns {string[]} */
  fetchers() {
    const list = this.root.fetchers;
    if (!Array.isArray(list) || list.length < 1 || list.length > MAX_FETCHERS) {
      throw new RangeError(`fetchers must be an array of 1 to ${MAX_FETCHERS} peer ids`);
    }
    const ids = list.map((id) => {
      if (typeof id !== 'string') throw new RangeError('fetchers must be peer ids');
      return checkPeerId('fetchers', id);
    });
    if (new Set(ids).size !== ids.length) throw new RangeError('fetchers must not repeat a peer id');
    return ids;
  }
}

/** @param {string} name @param {unknown} value */
function checkCount(name, value) {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_COUNT) {
    throw new RangeError(`${name} must be an integer from 0 to 2^53-1`);
  }
  return value;
}

/** 1 to 128 printable ASCII characters (0x21-0x7E). @param {string} name @param {string} value */
function checkName(name, value) {
  if (!NAME.test(value)) {
    throw new RangeError(`${name} must be 1 to ${MAX_NAME} printable ASCII characters`);
  }
  return value;
}

/** 1 to 64 characters of base64url. @param {string} name @param {string} value */
function checkPeerId(name, value) {
  if (!PEER_ID.test(value)) {
    throw new RangeError(`${name} must be 1 to ${MAX_PEER_ID} base64url characters`);
  }
  return value;
}
