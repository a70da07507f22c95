// The shared peer-frame vectors of protocol/ (the same files the Java codec runs), and one routine
// that runs them against a codec. The routine is self-contained, so the browser test hands its
// source to Chromium and both runtimes produce results the same assertions check.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const DIR = new URL('../../protocol/src/test/resources/vectors/peer/', import.meta.url);
/** Listed, not discovered, as in PeerVectorsTest: a vector file that goes missing must fail. */
export const FILES = ['envelope.json', 'hello.json', 'have.json', 'request.json', 'piece.json',
  'cancel.json', 'reject.json', 'bye.json', 'limits.json'];

/** Every vector of every file, flattened: {file, name, hex, frame} or {file, name, hex, error}. */
export function loadVectors() {
  return FILES.flatMap((file) => {
    const { valid, invalid } = JSON.parse(readFileSync(new URL(file, DIR), 'utf8'));
    return [...valid, ...invalid].map((vector) => ({ file, ...vector }));
  });
}

/**
 * Runs the vectors against `codec` ({decodeFrame, encodeFrame, PeerFrameError}): for each, what the
 * decoder made of `hex` (fields, payload in hex, or the error code) and, for a valid one, the hex
 * the encoder writes for its `frame`. Uses nothing from outside its body.
 */
export function runVectors(vectors, codec = globalThis.swarmcdn) {
  const toHex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  const fromHex = (hex) => new Uint8Array((hex.match(/../g) || []).map((h) => parseInt(h, 16)));
  const attempt = (action) => {
    try {
      return action();
    } catch (e) {
      return { error: e instanceof codec.PeerFrameError ? e.code : `not a PeerFrameError: ${e}` };
    }
  };
  return vectors.map((vector) => {
    const decoded = attempt(() => {
      const frame = codec.decodeFrame(fromHex(vector.hex));
      return frame.type === 'piece' ? { ...frame, payload: toHex(frame.payload) } : frame;
    });
    if (!vector.frame) return { decoded };
    const fields = vector.frame.type === 'piece' ? { ...vector.frame, payload: fromHex(vector.frame.payload) } : vector.frame;
    return { decoded, encoded: attempt(() => toHex(codec.encodeFrame(fields))) };
  });
}

/** What runVectors must give for a vector. */
export function expected(vector) {
  return vector.frame ? { decoded: vector.frame, encoded: vector.hex } : { decoded: { error: vector.error } };
}

/** One node:test subtest per vector, named after its file and name. */
export async function assertResults(t, vectors, results) {
  assert.equal(results.length, vectors.length);
  for (let i = 0; i < vectors.length; i++) {
    const vector = vectors[i];
    await t.test(`${vector.file} ${vector.frame ? 'valid' : 'invalid'}: ${vector.name}`, () => {
      assert.deepEqual(results[i], expected(vector));
    });
  }
}
