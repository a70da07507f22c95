// The tracker frames a peer reads, against the shared vectors of protocol/ (every server/*.json
// there, the files other parts add included), and the steering additions of version 1 on their own:
// assign, peers[].seeder, join's live.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { decodeServerFrame, joinFields, MAX_FETCHERS, TrackerFrameError } from '../src/tracker/tracker-frames.js';

const SERVER = new URL('../../protocol/src/test/resources/vectors/tracker/server/', import.meta.url);
const ID = 'kX3b9sQm1Tq2Vw8Zr4Yp0A';
const OTHER = 'Qm9uam91ci1wZWVyLTI';

/** The error a frame gets, as the vectors write it: {error, ref?}. */
function refusal(text) {
  try {
    decodeServerFrame(text);
  } catch (e) {
    if (!(e instanceof TrackerFrameError)) return { error: `not a TrackerFrameError: ${e}` };
    return { error: e.code, ...(e.ref !== undefined ? { ref: e.ref } : {}) };
  }
  return { error: 'none: decoded' };
}

describe('tracker vectors, server direction', () => {
  // Discovered, not listed: files for frames of later additions run as soon as they are there.
  const files = readdirSync(SERVER).filter((file) => file.endsWith('.json')).sort();
  test('the files are there', () => {
    for (const file of ['welcome.json', 'peers.json', 'signal.json', 'pong.json', 'error.json']) assert.ok(files.includes(file), file);
  });
  for (const file of files) {
    const { valid, invalid } = JSON.parse(readFileSync(new URL(file, SERVER), 'utf8'));
    for (const vector of valid) {
      test(`${file} valid: ${vector.name}`, () => {
        assert.deepEqual(decodeServerFrame(vector.frame), vector.canonical);
        assert.deepEqual(decodeServerFrame(JSON.stringify(vector.canonical)), vector.canonical, 'the canonical form reads the same');
      });
    }
    for (const vector of invalid.filter((v) => !v.trackerOnly)) {
      test(`${file} invalid: ${vector.name}`, () => {
        assert.deepEqual(refusal(vector.frame), { error: vector.error, ...(vector.ref !== undefined ? { ref: vector.ref } : {}) });
      });
    }
  }
});

describe('assign', () => {
  const assign = (fields) => JSON.stringify({ v: 1, type: 'assign', swarm: 'demo', rendition: '360p', sequence: 43, fetchers: [ID], ...fields });

  test('decodes the contract\'s example, unknown fields dropped', () => {
    assert.deepEqual(decodeServerFrame(assign({ later: { x: 1 } })),
      { v: 1, type: 'assign', swarm: 'demo', rendition: '360p', sequence: 43, fetchers: [ID] });
  });

  test('sequence from 0 to 2^53-1, written as an integral number', () => {
    assert.equal(decodeServerFrame(assign({ sequence: 0 })).sequence, 0);
    assert.equal(decodeServerFrame(assign({ sequence: Number.MAX_SAFE_INTEGER })).sequence, Number.MAX_SAFE_INTEGER);
    assert.equal(decodeServerFrame(assign({}).replace('"sequence":43', '"sequence":43.0')).sequence, 43);
    for (const sequence of [-1, 1.5, '43', null, 2 ** 53]) {
      assert.deepEqual(refusal(assign({ sequence })), { error: 'malformed', ref: 'assign' }, String(sequence));
    }
    const { sequence, ...without } = JSON.parse(assign({}));
    assert.deepEqual(refusal(JSON.stringify(without)), { error: 'malformed', ref: 'assign' });
  });

  test('1 to 16 distinct peer ids', () => {
    const many = Array.from({ length: MAX_FETCHERS }, (_, i) => `peer${i}`);
    assert.deepEqual(decodeServerFrame(assign({ fetchers: many })).fetchers, many);
    assert.deepEqual(decodeServerFrame(assign({ fetchers: [ID, OTHER] })).fetchers, [ID, OTHER], 'in their order');
    for (const fetchers of [[], [...many, 'one-more'], [ID, ID], ['not base64url!'], ['x'.repeat(65)], [''], [7], ID, null, { 0: ID }]) {
      assert.deepEqual(refusal(assign({ fetchers })), { error: 'malformed', ref: 'assign' }, JSON.stringify(fetchers));
    }
  });

  test('swarm and rendition as in every frame', () => {
    for (const fields of [{ swarm: '' }, { rendition: 'with space' }, { swarm: 's'.repeat(129) }, { rendition: 3 }]) {
      assert.deepEqual(refusal(assign(fields)), { error: 'malformed', ref: 'assign' }, JSON.stringify(fields));
    }
  });
});

describe('peers[].seeder', () => {
  const peers = (entry) => JSON.stringify({ v: 1, type: 'peers', swarm: 'demo', rendition: '360p', peers: [entry] });

  test('true marks a seeder; false and null read as absent (a viewer)', () => {
    assert.deepEqual(decodeServerFrame(peers({ peerId: ID, locality: 'edge', seeder: true })).peers,
      [{ peerId: ID, locality: 'edge', seeder: true }]);
    assert.deepEqual(decodeServerFrame(peers({ peerId: ID, locality: 'any', have: 4, seeder: false })).peers,
      [{ peerId: ID, locality: 'any', have: 4 }]);
    assert.deepEqual(decodeServerFrame(peers({ peerId: ID, locality: 'any', seeder: null })).peers, [{ peerId: ID, locality: 'any' }]);
  });

  test('anything but a boolean is malformed', () => {
    for (const seeder of ['true', 1, {}]) {
      assert.deepEqual(refusal(peers({ peerId: ID, locality: 'edge', seeder })), { error: 'malformed', ref: 'peers' });
    }
  });
});

describe('envelope, as a peer reads it', () => {
  test('JSON, v, then type; types of later versions are unknown_type', () => {
    assert.deepEqual(refusal('nope'), { error: 'malformed' });
    assert.deepEqual(refusal('[]'), { error: 'malformed' });
    assert.deepEqual(refusal('{"v":2,"type":"later"}'), { error: 'unsupported_version' });
    assert.deepEqual(refusal('{"v":1}'), { error: 'malformed' });
    assert.deepEqual(refusal('{"v":1,"type":"later"}'), { error: 'unknown_type' });
    assert.deepEqual(refusal('{"v":1,"type":"join"}'), { error: 'unknown_type' }, 'a client type from the tracker');
  });
});

describe('joinFields', () => {
  test('live only when true; never seeder', () => {
    const base = { edge: 'http://edge.test', uploadSlots: 4 };
    assert.deepEqual(joinFields({ ...base, live: true, have: 41 }), { ...base, have: 41, live: true });
    assert.deepEqual(joinFields({ ...base, live: false }), base);
    assert.deepEqual(joinFields(base), base);
    assert.deepEqual(joinFields(/** @type {any} */ ({ ...base, live: true, seeder: true })), { ...base, live: true });
  });
});
