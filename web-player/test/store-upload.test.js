// The segment store (bounded, least recently used out first, holdings as HAVE ranges) and the
// uploader (same swarm only, slots, rate, 16 KiB PIECEs, back-pressure).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MAX_PAYLOAD, TO_END } from '../src/peer/frames.js';
import { SegmentStore } from '../src/store/segment-store.js';
import { RateLimiter, Uploader } from '../src/upload/uploader.js';
import { FakeClock, settle } from './support/fake-clock.js';

const bytes = (n, fill = 1) => new Uint8Array(n).fill(fill);

describe('SegmentStore', () => {
  test('evicts the least recently used segments beyond its byte bound', () => {
    const changed = [];
    const store = new SegmentStore(300, (swarm) => changed.push(swarm));
    store.put('a/1', 1, bytes(100));
    store.put('a/1', 2, bytes(100), 100);
    store.put('b/1', 1, bytes(100));
    store.get('a/1', 1);
    store.put('a/1', 3, bytes(100));
    assert.equal(store.has('a/1', 2), false, 'the least recently used went');
    assert.ok(store.has('a/1', 1) && store.has('b/1', 1) && store.has('a/1', 3));
    assert.equal(store.bytes, 300);
    store.put('a/1', 4, bytes(400));
    assert.equal(store.has('a/1', 4), false, 'larger than the whole store: not kept');
    assert.deepEqual(changed, ['a/1', 'a/1', 'b/1', 'a/1']);
  });

  test('holdings per swarm: held and fetching, never both; newest', () => {
    const store = new SegmentStore(1e6);
    for (const n of [40, 41, 42, 45]) store.put('demo/360p', n, bytes(10));
    store.put('demo/180p', 50, bytes(10));
    store.fetching('demo/360p', 46, true);
    store.fetching('demo/360p', 47, true);
    store.fetching('demo/360p', 48, true);
    store.put('demo/360p', 47, bytes(10), 10);
    assert.deepEqual(store.holdings('demo/360p'), {
      held: [{ first: 40, count: 3 }, { first: 45, count: 1 }, { first: 47, count: 1 }],
      fetching: [{ first: 46, count: 1 }, { first: 48, count: 1 }],
    });
    assert.equal(store.newest('demo/360p'), 47);
    assert.equal(store.newest('nobody/x'), null);
  });
});

describe('RateLimiter', () => {
  test('lets a burst through, then bytes at the rate, in order', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(64 * 1024, clock); // burst: 16 KiB (a quarter second)
    const done = [];
    for (let i = 0; i < 3; i++) limiter.take(16 * 1024).then(() => done.push([i, clock.now() - 1000]));
    await clock.advance(0);
    assert.deepEqual(done, [[0, 0]]);
    await clock.advance(250);
    assert.deepEqual(done, [[0, 0], [1, 250]]);
    await clock.advance(250);
    assert.deepEqual(done, [[0, 0], [1, 250], [2, 500]]);
  });

  test('0 means no limit', async () => {
    const limiter = new RateLimiter(0, new FakeClock());
    await limiter.take(1e9);
  });
});

describe('Uploader', () => {
  /** A link double that records what the uploader writes. */
  function fakeLink({ writable = true } = {}) {
    const link = {
      local: { maxRequestBytes: 1 << 20 },
      writable,
      wanted: new Set([0, 1, 2, 3, 4, 5]),
      pieces: [],
      rejects: [],
      drains: [],
      wants: (id) => link.wanted.has(id),
      drained: () => new Promise((resolve) => link.drains.push(resolve)),
      sendPiece: (id, size, offset, payload, last) => link.pieces.push({ id, size, offset, length: payload.length, last, first: payload[0] }),
      reject: (id, reason) => link.rejects.push([id, reason]),
    };
    return link;
  }
  const request = (requestId, sequence, start = 0, end = TO_END) => ({ type: 'request', requestId, sequence, start, end });

  function uploader(options = {}) {
    const clock = new FakeClock();
    const store = new SegmentStore(1e6);
    store.put('demo/360p', 7, bytes(40_000, 7));
    let uploaded = 0;
    const up = new Uploader({ store, slots: 2, maxRate: 0, enabled: true, clock, onUploaded: (n) => { uploaded += n; }, ...options });
    return { up, clock, uploadedBytes: () => uploaded };
  }

  test('serves a held segment of the link\'s swarm in PIECEs of at most 16 KiB', async () => {
    const { up, uploadedBytes } = uploader();
    const link = fakeLink();
    up.serve(link, 'demo/360p', request(0, 7));
    await settle();
    assert.deepEqual(link.pieces.map((p) => [p.offset, p.length, p.last]),
      [[0, MAX_PAYLOAD, false], [MAX_PAYLOAD, MAX_PAYLOAD, false], [2 * MAX_PAYLOAD, 40_000 - 2 * MAX_PAYLOAD, true]]);
    assert.ok(link.pieces.every((p) => p.size === 40_000));
    assert.equal(uploadedBytes(), 40_000);
    assert.equal(up.active, 0);
  });

  test('a range from a byte offset, to a byte end', async () => {
    const { up } = uploader();
    const link = fakeLink();
    up.serve(link, 'demo/360p', request(0, 7, 30_000, 35_000));
    await settle();
    assert.deepEqual(link.pieces.map((p) => [p.offset, p.length, p.last]), [[30_000, 5000, true]]);
  });

  test('refuses what it does not hold (another swarm included), bad ranges, and beyond its slots', async () => {
    const { up } = uploader();
    const link = fakeLink({ writable: false });
    up.serve(link, 'demo/180p', request(0, 7));
    up.serve(link, 'demo/360p', request(1, 8));
    up.serve(link, 'demo/360p', request(2, 7, 40_000));
    up.serve(link, 'demo/360p', request(3, 7));
    up.serve(link, 'demo/360p', request(4, 7));
    up.serve(link, 'demo/360p', request(5, 7));
    assert.deepEqual(link.rejects, [[0, 'not_held'], [1, 'not_held'], [2, 'bad_request'], [5, 'busy']]);
    assert.equal(up.freeSlots, 0);
  });

  test('waits for the channel to drain, and stops when the request is cancelled', async () => {
    const { up } = uploader();
    const link = fakeLink({ writable: false });
    up.serve(link, 'demo/360p', request(0, 7));
    await settle();
    assert.equal(link.pieces.length, 0);
    link.writable = true;
    link.wanted.delete(0);
    link.drains.forEach((wake) => wake());
    await settle();
    assert.equal(link.pieces.length, 0);
    assert.equal(up.active, 0);
  });

  test('upload off: every request is busy; the test hook rewrites served bytes', async () => {
    const off = uploader({ enabled: false });
    const link = fakeLink();
    off.up.serve(link, 'demo/360p', request(0, 7));
    assert.deepEqual(link.rejects, [[0, 'busy']]);
    assert.equal(off.up.freeSlots, 0);

    const corrupt = uploader({ hooks: { corruptUpload: (sequence, payload) => payload.fill(sequence + 1) } });
    const other = fakeLink();
    corrupt.up.serve(other, 'demo/360p', request(1, 7));
    await settle();
    assert.ok(other.pieces.every((p) => p.first === 8));
  });
});
