import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as codec from '../src/peer/frames.js';
import { assertResults, loadVectors, runVectors } from './vectors.js';

const { decodeFrame, encodeFrame, PeerFrameError } = codec;
const vectors = loadVectors();

test('the shared vectors: decode to their fields, encode to their bytes, refuse with their error', async (t) => {
  await assertResults(t, vectors, runVectors(vectors, codec));
});

test('every frame type, reason and error has a vector', () => {
  const types = new Set(vectors.filter((v) => v.frame).map((v) => v.frame.type));
  assert.deepEqual([...types].sort(), ['bye', 'cancel', 'have', 'hello', 'piece', 'reject', 'request']);
  const reasons = (type) => new Set(vectors.filter((v) => v.frame?.type === type).map((v) => v.frame.reason));
  assert.deepEqual(reasons('reject'), new Set(codec.REJECT_REASONS));
  assert.deepEqual(reasons('bye'), new Set(codec.BYE_REASONS));
  assert.deepEqual(new Set(vectors.map((v) => v.error).filter(Boolean)), new Set(['truncated', 'trailing_bytes',
    'unknown_type', 'unsupported_version', 'out_of_bounds', 'payload_too_large', 'bad_range']));
  const largest = vectors.find((v) => v.file === 'limits.json' && v.frame?.type === 'piece');
  assert.equal(largest.hex.length / 2, codec.MAX_FRAME_LENGTH);
});

test('decodes an ArrayBuffer, a typed array inside a larger buffer, or a DataView', () => {
  const frame = { type: 'request', requestId: 7, sequence: 2 ** 40 + 3, start: 0, end: codec.TO_END };
  const bytes = encodeFrame(frame);
  const larger = new Uint8Array(bytes.length + 20).fill(0xee);
  larger.set(bytes, 10);
  assert.deepEqual(decodeFrame(bytes.buffer), frame);
  assert.deepEqual(decodeFrame(larger.subarray(10, 10 + bytes.length)), frame);
  assert.deepEqual(decodeFrame(new DataView(larger.buffer, 10, bytes.length)), frame);
});

test('a decoded payload is a view of the message, not a copy', () => {
  const message = encodeFrame({ type: 'piece', requestId: 1, size: 10, offset: 2, payload: new Uint8Array([1, 2, 3]) });
  const piece = decodeFrame(message);
  assert.equal(piece.payload.buffer, message.buffer);
  message[13] = 9;
  assert.equal(piece.payload[0], 9);
});

test('the encoder refuses frames the decoder would refuse', () => {
  const hello = { type: 'hello', stream: 'demo', rendition: '360p', flags: 0, maxRequests: 4, maxRequestBytes: 1 << 20 };
  const payload = new Uint8Array(1);
  const refused = [
    { ...hello, flags: 0x10000 },
    { ...hello, maxRequests: 1025 },
    { ...hello, maxRequests: 1.5 },
    { ...hello, maxRequestBytes: 16383 },
    { ...hello, stream: '' },
    { ...hello, stream: 'x'.repeat(129) },
    { ...hello, rendition: 'é' },
    { ...hello, rendition: 'a b' },
    { type: 'have', held: [{ first: 10, count: 5 }, { first: 15, count: 1 }], fetching: [] },
    { type: 'have', held: [{ first: 10, count: 5 }], fetching: [{ first: 14, count: 1 }] },
    { type: 'have', held: [{ first: 0, count: 0 }], fetching: [] },
    { type: 'have', held: [{ first: -1, count: 1 }], fetching: [] },
    { type: 'have', held: [{ first: Number.MAX_SAFE_INTEGER, count: 2 }], fetching: [] },
    { type: 'have', held: Array.from({ length: 1025 }, (_, i) => ({ first: 3 * i, count: 1 })), fetching: [] },
    { type: 'request', requestId: -1, sequence: 1, start: 0, end: 1 },
    { type: 'request', requestId: 2 ** 32, sequence: 1, start: 0, end: 1 },
    { type: 'request', requestId: 1, sequence: 2 ** 53, start: 0, end: 1 },
    { type: 'request', requestId: 1, sequence: 1, start: 5, end: 5 },
    { type: 'piece', requestId: 1, size: 10, offset: 0, payload: new Uint8Array(0) },
    { type: 'piece', requestId: 1, size: 1 << 20, offset: 0, payload: new Uint8Array(codec.MAX_PAYLOAD + 1) },
    { type: 'piece', requestId: 1, size: 10, offset: 10, payload },
    { type: 'piece', requestId: 1, size: 10, offset: 0, payload: payload.buffer },
    { type: 'cancel', requestId: '1' },
    { type: 'reject', requestId: 1, reason: 'nope' },
    { type: 'bye', reason: 'later' },
    { type: 'ping' },
  ];
  for (const frame of refused) {
    assert.throws(() => encodeFrame(/** @type {any} */ (frame)), RangeError, JSON.stringify(frame));
  }
});

test('mutated vectors decode to a frame that encodes to the same bytes, or fail with PeerFrameError', () => {
  const seeds = vectors.map((v) => Uint8Array.from(Buffer.from(v.hex, 'hex')));
  let state = 20240611;
  const random = (n) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state % n;
  };
  let decoded = 0;
  for (let i = 0; i < 50_000; i++) {
    let message = seeds[random(seeds.length)].slice();
    const how = random(4);
    if (how === 0) message = message.subarray(0, message.length && random(message.length));
    else if (how === 1) message = Uint8Array.from([...message, ...new Uint8Array(1 + random(4))]);
    else for (let flips = 1 + random(3); flips > 0 && message.length; flips--) message[random(message.length)] ^= 1 << random(8);
    let frame;
    try {
      frame = decodeFrame(message);
    } catch (e) {
      assert.ok(e instanceof PeerFrameError, `${e}`);
      continue;
    }
    decoded++;
    assert.deepEqual(encodeFrame(frame), Uint8Array.from(message));
  }
  assert.ok(decoded > 1000, `the mutations also produce valid frames: ${decoded}`);
});
