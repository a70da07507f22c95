/**
 * Binary frames of the peer protocol, version 1 (docs/PROTOCOL.md, "Peer protocol (data channel)"):
 * one frame per data-channel message, big-endian, fixed layouts. The Java peers speak the same bytes
 * (dev.swarmcdn.protocol.peer.PeerCodec); both pass protocol/src/test/resources/vectors/peer.
 *
 * Decoding is strict and throws nothing but PeerFrameError for a bad message, whatever its bytes; the
 * engine answers that with BYE protocol_error and drops the peer.
 */

export const VERSION = 1;
/** The most payload one PIECE carries. */
export const MAX_PAYLOAD = 16 * 1024;
/** The most ranges one HAVE carries, held and fetching together. */
export const MAX_RANGES = 1024;
/** The most open requests a HELLO may allow. */
export const MAX_REQUESTS = 1024;
/** The least a HELLO may set as maxRequestBytes: one full PIECE. */
export const MIN_REQUEST_BYTES = MAX_PAYLOAD;
/** 2^53-1: every sequence number is an exact JavaScript number. */
export const MAX_SEQUENCE = Number.MAX_SAFE_INTEGER;
/** REQUEST end asking for the rest of the segment, whatever its size. */
export const TO_END = 0xffffffff;
/** HELLO flag: the sender is an edge seeder; it serves and never requests. */
export const SEEDER = 0x0001;
/** The longest frame: a PIECE with a full payload. */
export const MAX_FRAME_LENGTH = 13 + MAX_PAYLOAD;

/** REJECT reasons; the wire byte is the index. */
export const REJECT_REASONS = /** @type {const} */ (['not_held', 'busy', 'rate_limited', 'bad_request']);
/** BYE reasons; the wire byte is the index. */
export const BYE_REASONS = /** @type {const} */ ([
  'leaving', 'unsupported_version', 'wrong_swarm', 'protocol_error', 'integrity', 'enough_peers',
]);

/**
 * @typedef {{type: 'hello', stream: string, rendition: string, flags: number, maxRequests: number, maxRequestBytes: number}} Hello
 *   The first frame each side sends; the version is implicit (VERSION).
 * @typedef {{first: number, count: number}} SequenceRange  segments first to first + count - 1
 * @typedef {{type: 'have', held: SequenceRange[], fetching: SequenceRange[]}} Have
 *   The sender's whole holdings, replacing any earlier HAVE.
 * @typedef {{type: 'request', requestId: number, sequence: number, start: number, end: number}} Request
 *   Bytes start (inclusive) to end (exclusive) of a segment; the server stops at the segment's size.
 * @typedef {{type: 'piece', requestId: number, size: number, offset: number, payload: Uint8Array}} Piece
 *   A decoded payload is a view of the received message, not a copy.
 * @typedef {{type: 'cancel', requestId: number}} Cancel
 * @typedef {typeof REJECT_REASONS[number]} RejectReason
 * @typedef {{type: 'reject', requestId: number, reason: RejectReason}} Reject
 * @typedef {typeof BYE_REASONS[number]} ByeReason
 * @typedef {{type: 'bye', reason: ByeReason}} Bye
 * @typedef {Hello | Have | Request | Piece | Cancel | Reject | Bye} PeerFrame
 * @typedef {'truncated' | 'trailing_bytes' | 'unknown_type' | 'unsupported_version' | 'out_of_bounds'
 *   | 'payload_too_large' | 'bad_range'} FrameErrorCode
 */

/** A message that is not a valid frame; `code` is the error the shared vectors name. */
export class PeerFrameError extends Error {
  /**
   * @param {FrameErrorCode} code
   * @param {string} message
   */
  constructor(code, message) {
    super(`${code}: ${message}`);
    this.name = 'PeerFrameError';
    /** @type {FrameErrorCode} */
    this.code = code;
  }
}

const TYPES = /** @type {const} */ (['hello', 'have', 'request', 'piece', 'cancel', 'reject', 'bye']);
const HELLO_FIXED = 12;
const HAVE_HEADER = 5;
const RANGE_BYTES = 12;
const REQUEST_LENGTH = 21;
const PIECE_HEADER = 13;
const CANCEL_LENGTH = 5;
const REJECT_LENGTH = 6;
const BYE_LENGTH = 2;
const MAX_NAME_LENGTH = 128;
const U32_MAX = 0xffffffff;
const TWO_32 = 2 ** 32;

// ------------------------------------------------------------------------------------------ decode

/**
 * Reads one data-channel message. A text message is not for this function: the engine refuses it.
 *
 * @param {ArrayBuffer | ArrayBufferView} message
 * @returns {PeerFrame}
 * @throws {PeerFrameError} for any message that is not exactly one valid frame
 */
export function decodeFrame(message) {
  const bytes = ArrayBuffer.isView(message)
    ? new Uint8Array(message.buffer, message.byteOffset, message.byteLength)
    : new Uint8Array(message);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length === 0) throw new PeerFrameError('truncated', 'empty message');
  switch (bytes[0]) {
    case 1: return decodeHello(bytes, view);
    case 2: return decodeHave(bytes, view);
    case 3: return decodeRequest(bytes, view);
    case 4: return decodePiece(bytes, view);
    case 5:
      exactLength(bytes, CANCEL_LENGTH);
      return { type: 'cancel', requestId: view.getUint32(1) };
    case 6: {
      exactLength(bytes, REJECT_LENGTH);
      const reason = REJECT_REASONS[bytes[5]];
      if (reason === undefined) throw new PeerFrameError('out_of_bounds', `REJECT reason ${bytes[5]}`);
      return { type: 'reject', requestId: view.getUint32(1), reason };
    }
    case 7: {
      exactLength(bytes, BYE_LENGTH);
      const reason = BYE_REASONS[bytes[1]];
      if (reason === undefined) throw new PeerFrameError('out_of_bounds', `BYE reason ${bytes[1]}`);
      return { type: 'bye', reason };
    }
    default:
      throw new PeerFrameError('unknown_type', `type byte ${bytes[0]}`);
  }
}

/** @param {Uint8Array} bytes @param {DataView} view @returns {Hello} */
function decodeHello(bytes, view) {
  need(bytes, 2);
  if (bytes[1] !== VERSION) throw new PeerFrameError('unsupported_version', `HELLO version ${bytes[1]}`);
  const streamAt = HELLO_FIXED - 2;
  const streamLength = nameLength(bytes, streamAt, 'stream');
  const renditionAt = streamAt + 1 + streamLength;
  const renditionLength = nameLength(bytes, renditionAt, 'rendition');
  exactLength(bytes, renditionAt + 1 + renditionLength);
  /** @type {Hello} */
  const hello = {
    type: 'hello',
    stream: String.fromCharCode(...bytes.subarray(streamAt + 1, renditionAt)),
    rendition: String.fromCharCode(...bytes.subarray(renditionAt + 1)),
    flags: view.getUint16(2),
    maxRequests: view.getUint16(4),
    maxRequestBytes: view.getUint32(6),
  };
  checkHello(hello);
  return hello;
}

/** @param {Uint8Array} bytes @param {DataView} view @returns {Have} */
function decodeHave(bytes, view) {
  need(bytes, HAVE_HEADER);
  const held = view.getUint16(1);
  const fetching = view.getUint16(3);
  if (held + fetching > MAX_RANGES) {
    throw new PeerFrameError('out_of_bounds', `${held + fetching} ranges, at most ${MAX_RANGES}`);
  }
  exactLength(bytes, HAVE_HEADER + RANGE_BYTES * (held + fetching));
  /** @type {Have} */
  const have = {
    type: 'have',
    held: readRanges(view, HAVE_HEADER, held),
    fetching: readRanges(view, HAVE_HEADER + RANGE_BYTES * held, fetching),
  };
  checkRanges(have);
  return have;
}

/** @param {DataView} view @param {number} at @param {number} count @returns {SequenceRange[]} */
function readRanges(view, at, count) {
  const ranges = new Array(count);
  for (let i = 0; i < count; i++, at += RANGE_BYTES) {
    ranges[i] = { first: readU64(view, at), count: view.getUint32(at + 8) };
  }
  return ranges;
}

/** @param {Uint8Array} bytes @param {DataView} view @returns {Request} */
function decodeRequest(bytes, view) {
  exactLength(bytes, REQUEST_LENGTH);
  /** @type {Request} */
  const request = {
    type: 'request',
    requestId: view.getUint32(1),
    sequence: readU64(view, 5),
    start: view.getUint32(13),
    end: view.getUint32(17),
  };
  checkRequest(request);
  return request;
}

/** @param {Uint8Array} bytes @param {DataView} view @returns {Piece} */
function decodePiece(bytes, view) {
  need(bytes, PIECE_HEADER + 1);
  const length = bytes.length - PIECE_HEADER;
  if (length > MAX_PAYLOAD) throw new PeerFrameError('payload_too_large', `${length} bytes of payload`);
  /** @type {Piece} */
  const piece = {
    type: 'piece',
    requestId: view.getUint32(1),
    size: view.getUint32(5),
    offset: view.getUint32(9),
    payload: bytes.subarray(PIECE_HEADER),
  };
  checkPiece(piece);
  return piece;
}

/** @param {Uint8Array} bytes @param {number} at @param {string} field */
function nameLength(bytes, at, field) {
  need(bytes, at + 1);
  const length = bytes[at];
  if (length < 1 || length > MAX_NAME_LENGTH) {
    throw new PeerFrameError('out_of_bounds', `${field} of ${length} bytes`);
  }
  return length;
}

/** At least `length` bytes, else truncated. @param {Uint8Array} bytes @param {number} length */
function need(bytes, length) {
  if (bytes.length < length) {
    throw new PeerFrameError('truncated', `${TYPES[bytes[0] - 1]} of ${bytes.length} bytes, needs ${length}`);
  }
}

/** @param {Uint8Array} bytes @param {number} length */
function exactLength(bytes, length) {
  need(bytes, length);
  if (bytes.length > length) {
    throw new PeerFrameError('trailing_bytes', `${TYPES[bytes[0] - 1]} of ${bytes.length} bytes, expected ${length}`);
  }
}

/**
 * A u64 as a number. Above 2^53-1 it is no longer exact, which is fine: every such value is refused,
 * and it stays above MAX_SEQUENCE. @param {DataView} view @param {number} at
 */
function readU64(view, at) {
  return view.getUint32(at) * TWO_32 + view.getUint32(at + 4);
}

// ------------------------------------------------------------------------------------------- rules
// Shared by the decoder (whose PeerFrameError they throw) and the encoder (which refuses to write
// what the decoder would refuse), so that every frame that decodes encodes back to the same bytes.

/** @param {unknown} value @param {number} max */
function isInt(value, max) {
  return Number.isInteger(value) && /** @type {number} */ (value) >= 0 && /** @type {number} */ (value) <= max;
}

/** @param {string} field @param {unknown} value */
function checkU32(field, value) {
  if (!isInt(value, U32_MAX)) throw new PeerFrameError('out_of_bounds', `${field} must be 0 to 2^32-1`);
}

/** @param {string} field @param {unknown} name */
function checkName(field, name) {
  if (typeof name !== 'string' || name.length < 1 || name.length > MAX_NAME_LENGTH) {
    throw new PeerFrameError('out_of_bounds', `${field} must hold 1 to ${MAX_NAME_LENGTH} characters`);
  }
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x21 || c > 0x7e) throw new PeerFrameError('out_of_bounds', `${field} must be printable ASCII without spaces`);
  }
}

/** @param {Hello} hello */
function checkHello(hello) {
  if (!isInt(hello.flags, 0xffff)) throw new PeerFrameError('out_of_bounds', 'flags are 16 bits');
  if (!isInt(hello.maxRequests, MAX_REQUESTS)) {
    throw new PeerFrameError('out_of_bounds', `maxRequests must be 0 to ${MAX_REQUESTS}`);
  }
  if (!isInt(hello.maxRequestBytes, U32_MAX) || hello.maxRequestBytes < MIN_REQUEST_BYTES) {
    throw new PeerFrameError('out_of_bounds', `maxRequestBytes must be ${MIN_REQUEST_BYTES} to 2^32-1`);
  }
  checkName('stream', hello.stream);
  checkName('rendition', hello.rendition);
}

/**
 * Each list ascending, its ranges neither overlapping nor touching; no segment in both lists.
 * @param {Have} have
 */
function checkRanges(have) {
  for (const list of [have.held, have.fetching]) {
    for (let i = 0; i < list.length; i++) {
      const { first, count } = list[i];
      // first + count - 1 <= MAX written so that it cannot lose precision
      if (!isInt(count, U32_MAX) || count < 1 || !isInt(first, MAX_SEQUENCE - count + 1)) {
        throw new PeerFrameError('bad_range', 'a range holds 1 to 2^32-1 sequence numbers from 0 to 2^53-1');
      }
      if (i > 0 && first <= last(list[i - 1]) + 1) {
        throw new PeerFrameError('bad_range', 'ranges must be ascending, neither overlapping nor touching');
      }
    }
  }
  for (let i = 0, j = 0; i < have.held.length && j < have.fetching.length;) {
    const held = have.held[i];
    const fetching = have.fetching[j];
    if (last(held) < fetching.first) i++;
    else if (last(fetching) < held.first) j++;
    else throw new PeerFrameError('bad_range', `segment ${Math.max(held.first, fetching.first)} both held and fetching`);
  }
}

/** @param {SequenceRange} range */
function last(range) {
  return range.first + range.count - 1;
}

/** @param {Request} request */
function checkRequest(request) {
  checkU32('requestId', request.requestId);
  if (!isInt(request.sequence, MAX_SEQUENCE)) throw new PeerFrameError('out_of_bounds', 'sequence must be 0 to 2^53-1');
  checkU32('start', request.start);
  checkU32('end', request.end);
  if (request.start >= request.end) {
    throw new PeerFrameError('bad_range', `bytes ${request.start} to ${request.end}`);
  }
}

/** @param {Piece} piece */
function checkPiece(piece) {
  checkU32('requestId', piece.requestId);
  checkU32('size', piece.size);
  checkU32('offset', piece.offset);
  const length = piece.payload?.length;
  if (!isInt(length, MAX_PAYLOAD) || length < 1) {
    throw new PeerFrameError('out_of_bounds', `a payload holds 1 to ${MAX_PAYLOAD} bytes`);
  }
  if (piece.offset + length > piece.size) {
    throw new PeerFrameError('bad_range', `bytes ${piece.offset} to ${piece.offset + length} of a segment of ${piece.size}`);
  }
}

// ------------------------------------------------------------------------------------------ encode

/**
 * One frame as one message, ready for `RTCDataChannel.send`.
 *
 * @param {PeerFrame} frame
 * @returns {Uint8Array}
 * @throws {RangeError} for a frame that breaks the protocol's rules (it would not decode)
 */
export function encodeFrame(frame) {
  try {
    return write(frame);
  } catch (e) {
    if (e instanceof PeerFrameError) throw new RangeError(`cannot encode ${frame.type}: ${e.message}`);
    throw e;
  }
}

/** @param {PeerFrame} frame */
function write(frame) {
  switch (frame.type) {
    case 'hello': {
      checkHello(frame);
      const out = allocate(1, HELLO_FIXED + frame.stream.length + frame.rendition.length);
      out.view.setUint8(1, VERSION);
      out.view.setUint16(2, frame.flags);
      out.view.setUint16(4, frame.maxRequests);
      out.view.setUint32(6, frame.maxRequestBytes);
      const renditionAt = writeName(out.bytes, HELLO_FIXED - 2, frame.stream);
      writeName(out.bytes, renditionAt, frame.rendition);
      return out.bytes;
    }
    case 'have': {
      const count = frame.held.length + frame.fetching.length;
      if (count > MAX_RANGES) throw new PeerFrameError('out_of_bounds', `at most ${MAX_RANGES} ranges`);
      checkRanges(frame);
      const out = allocate(2, HAVE_HEADER + RANGE_BYTES * count);
      out.view.setUint16(1, frame.held.length);
      out.view.setUint16(3, frame.fetching.length);
      let at = HAVE_HEADER;
      for (const range of [...frame.held, ...frame.fetching]) {
        out.view.setUint32(at, Math.floor(range.first / TWO_32));
        out.view.setUint32(at + 4, range.first % TWO_32);
        out.view.setUint32(at + 8, range.count);
        at += RANGE_BYTES;
      }
      return out.bytes;
    }
    case 'request': {
      checkRequest(frame);
      const out = allocate(3, REQUEST_LENGTH);
      out.view.setUint32(1, frame.requestId);
      out.view.setUint32(5, Math.floor(frame.sequence / TWO_32));
      out.view.setUint32(9, frame.sequence % TWO_32);
      out.view.setUint32(13, frame.start);
      out.view.setUint32(17, frame.end);
      return out.bytes;
    }
    case 'piece': {
      checkPiece(frame);
      const out = allocate(4, PIECE_HEADER + frame.payload.length);
      out.view.setUint32(1, frame.requestId);
      out.view.setUint32(5, frame.size);
      out.view.setUint32(9, frame.offset);
      out.bytes.set(frame.payload, PIECE_HEADER);
      return out.bytes;
    }
    case 'cancel': {
      checkU32('requestId', frame.requestId);
      const out = allocate(5, CANCEL_LENGTH);
      out.view.setUint32(1, frame.requestId);
      return out.bytes;
    }
    case 'reject': {
      checkU32('requestId', frame.requestId);
      const out = allocate(6, REJECT_LENGTH);
      out.view.setUint32(1, frame.requestId);
      out.view.setUint8(5, reasonCode(REJECT_REASONS, frame.reason));
      return out.bytes;
    }
    case 'bye': {
      const out = allocate(7, BYE_LENGTH);
      out.view.setUint8(1, reasonCode(BYE_REASONS, frame.reason));
      return out.bytes;
    }
    default:
      throw new PeerFrameError('unknown_type', `frame type ${/** @type {{type: unknown}} */ (frame).type}`);
  }
}

/** @param {number} type @param {number} length */
function allocate(type, length) {
  const bytes = new Uint8Array(length);
  bytes[0] = type;
  return { bytes, view: new DataView(bytes.buffer) };
}

/** Writes a checked (ASCII) name; returns the index after it. @param {Uint8Array} bytes @param {number} at @param {string} name */
function writeName(bytes, at, name) {
  bytes[at] = name.length;
  for (let i = 0; i < name.length; i++) bytes[at + 1 + i] = name.charCodeAt(i);
  return at + 1 + name.length;
}

/** @param {readonly string[]} reasons @param {string} reason */
function reasonCode(reasons, reason) {
  const code = reasons.indexOf(reason);
  if (code < 0) throw new PeerFrameError('out_of_bounds', `reason ${reason}`);
  return code;
}
