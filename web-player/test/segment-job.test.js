// One segment's journey on a fake clock: from a real peer (a PeerLink and an Uploader on the other
// end of a fake channel) or over a fake edge, with the scheduler's deadlines, integrity checks
// against a signed manifest, and the fallbacks: bad bytes, a peer that vanishes mid-transfer, a
// slow peer, nobody holding the segment in time.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { STEER_PATIENCE_MS, SegmentJob } from '../src/engine/segment-job.js';
import { JOIN_GRACE_MS } from '../src/engine/swarm-session.js';
import { IntegrityManifests } from '../src/integrity/integrity.js';
import { SEEDER } from '../src/peer/frames.js';
import { PeerLink } from '../src/peer/peer-link.js';
import { isSeeder } from '../src/peer/peer-pool.js';
import { HttpEstimate, PeerScore, RESCUE_LEAD_MS } from '../src/scheduler/scheduler.js';
import { EngineStats } from '../src/stats/stats.js';
import { SegmentStore } from '../src/store/segment-store.js';
import { Uploader } from '../src/upload/uploader.js';
import { createLogger } from '../src/util/log.js';
import { channelPair } from './support/fake-channel.js';
import { FakeClock, settle } from './support/fake-clock.js';
import { KEY_DOCUMENT, manifestFor } from './support/signing.js';

const EDGE = 'http://edge.test';
const PLAYLIST = `${EDGE}/live/demo/360p/index.m3u8`;
const SWARM = 'demo/360p';
const SEQUENCE = 10;
const SEGMENT = new Uint8Array(randomBytes(100_000));
const HELLO = { stream: 'demo', rendition: '360p', flags: 0, maxRequests: 4, maxRequestBytes: 1 << 24 };

/** The viewer under test, its edge, and peers added by each test. */
function setup({ seedShare = 0, steeredAway = false, live = true, bitrate = 10_000, staleManifests = 0, rangeAnswer } = {}) {
  const clock = new FakeClock();
  const log = createLogger('silent');
  const httpRequests = [];
  const httpTimes = [];
  const fetch = async (url, init = {}) => {
    if (url.endsWith('index.integrity.json')) {
      const listed = staleManifests-- > 0 ? [] : [{ uri: `seg_${SEQUENCE}.m4s`, data: SEGMENT }];
      return new Response(JSON.stringify(manifestFor('/live/demo/360p/index.m3u8', SEQUENCE, listed)));
    }
    const range = /bytes=(\d+)-/.exec(init.headers?.Range ?? '');
    httpRequests.push(range ? Number(range[1]) : 0);
    httpTimes.push(clock.now());
    if (!range) return new Response(SEGMENT, { status: 200, headers: { 'Content-Length': String(SEGMENT.length) } });
    const from = Number(range[1]);
    if (rangeAnswer) return rangeAnswer(from);
    return new Response(SEGMENT.subarray(from), {
      status: 206, headers: { 'Content-Range': `bytes ${from}-${SEGMENT.length - 1}/${SEGMENT.length}` },
    });
  };
  const http = new HttpEstimate();
  http.sample(1_000_000, 100, 20); // the edge: 10 MB/s, 20 ms to first byte
  const stats = new EngineStats(clock.now);
  const store = new SegmentStore(1e7);
  const integrity = new IntegrityManifests({ fetch, now: clock.now, log, key: KEY_DOCUMENT });
  for (const name of ['check', 'load']) {
    const real = integrity[name].bind(integrity);
    integrity[name] = (...args) => clock.realWork(real(...args));
  }
  const peers = [];
  const reported = [];
  const waiters = new Set();
  const joining = { until: 0 };
  // PeerPool's view of the peers: viewers and edge seeders (HELLO flag) apart.
  const serving = (sequence) => peers.filter((p) => p.link.ready && p.link.holds(sequence) === 'held' && p.link.requestSlots > 0);
  const pool = {
    holders: (sequence) => serving(sequence).filter((p) => !isSeeder(p)),
    seeders: (sequence) => serving(sequence).filter((p) => isSeeder(p)),
    fetchers: (sequence) => pool.viewers.filter((p) => p.link.holds(sequence) === 'fetching').length,
    get connected() { return peers.filter((p) => p.link.ready); },
    get viewers() { return pool.connected.filter((p) => !isSeeder(p)); },
  };
  const ctx = {
    clock, log, fetch, httpWindow: 2, seeds: () => !steeredAway && seedShare > 0.5,
    assignedElsewhere: () => steeredAway, seedsOnItsOwn: () => seedShare > 0.5, http, store, integrity, stats,
    pool: () => pool,
    // 0, joined, unless a test says otherwise.
    joiningUntil: () => joining.until,
    onPeerChange: (swarm, listener) => { waiters.add(listener); return () => waiters.delete(listener); },
    reportBad: (swarm, peerId) => reported.push(peerId),
  };

  /** A peer holding the segment (or only fetching it), serving at `rate` bytes/s; an edge seeder with `seeder`. */
  async function addPeer(id, { rate = 0, hooks, holds = 'held', seeder = false } = {}) {
    const [mine, theirs] = channelPair();
    const peerStore = new SegmentStore(1e7);
    if (holds === 'held') peerStore.put(SWARM, SEQUENCE, SEGMENT);
    if (holds === 'fetching') peerStore.fetching(SWARM, SEQUENCE, true);
    const server = new PeerLink(theirs, { hello: { ...HELLO, flags: seeder ? SEEDER : 0 }, clock, holdings: () => peerStore.holdings(SWARM) });
    const uploader = new Uploader({ store: peerStore, slots: 4, maxRate: rate, enabled: true, clock, onUploaded() {}, hooks });
    server.on('request', (request) => uploader.serve(server, SWARM, request));
    const link = new PeerLink(mine, { hello: HELLO, clock });
    link.on('have', () => [...waiters].forEach((wake) => wake()));
    mine.open();
    await settle();
    const peer = { id, link, score: new PeerScore(), server, serverChannel: theirs, peerStore };
    peers.push(peer);
    return peer;
  }

  const job = (dueSeconds, { prefetch = false, resume } = {}) => new SegmentJob({
    swarm: SWARM, sequence: SEQUENCE, url: `${EDGE}/live/demo/360p/seg_${SEQUENCE}.m4s`, uri: `seg_${SEQUENCE}.m4s`,
    playlistUrl: PLAYLIST, duration: 2, bitrate, live,
  }, ctx, { dueSeconds, prefetch, resume });

  return { clock, stats, store, peers, reported, httpRequests, httpTimes, addPeer, job, integrity, joining };
}

/** Runs the fake clock until the job is done (at most `limitMs`). */
async function finish(clock, job, limitMs = 20_000) {
  for (let waited = 0; !job.done && waited < limitMs; waited += 50) await clock.advance(50);
  assert.ok(job.done, 'the job finished');
  return job.promise;
}

describe('SegmentJob', () => {
  test('a segment a peer holds comes from it, checked, when there is time', async () => {
    const s = setup();
    const peer = await s.addPeer('a');
    const delivery = await finish(s.clock, s.job(10));
    assert.deepEqual(delivery.data, SEGMENT);
    assert.deepEqual([delivery.p2pBytes, delivery.httpBytes], [SEGMENT.length, 0]);
    assert.deepEqual(s.httpRequests, [], 'nothing over HTTP');
    assert.equal(s.store.get(SWARM, SEQUENCE)?.p2pBytes, SEGMENT.length, 'held, as bytes from peers');
    assert.deepEqual(s.stats.delivered, { http: 0, p2p: 0, seeder: 0 }, 'delivered only once the player gets it');
    assert.equal(peer.score.served, 1);
  });

  test('a segment newer than the manifest the edge still serves is checked again shortly, not refetched', async () => {
    const s = setup({ staleManifests: 2 });
    await s.addPeer('a');
    const delivery = await finish(s.clock, s.job(10));
    assert.equal(delivery.p2pBytes, SEGMENT.length);
    assert.deepEqual(s.httpRequests, []);
    assert.equal(s.stats.fallbacks.unknown, 0);
  });

  test('due within the HTTP window: HTTP at once, peers or not', async () => {
    const s = setup();
    await s.addPeer('a');
    const delivery = await finish(s.clock, s.job(1.5));
    assert.deepEqual([delivery.p2pBytes, delivery.httpBytes], [0, SEGMENT.length]);
    assert.deepEqual(s.httpRequests, [0]);
    assert.ok(delivery.http, 'HTTP timing for hls.js');
  });

  test('tampered bytes never come out: HTTP instead, the peer reported, the failure counted', async () => {
    const s = setup();
    await s.addPeer('liar', { hooks: { corruptUpload: (sequence, payload) => { payload[0] ^= 0xff; return payload; } } });
    const delivery = await finish(s.clock, s.job(10));
    assert.deepEqual(delivery.data, SEGMENT);
    assert.deepEqual([delivery.p2pBytes, delivery.httpBytes], [0, SEGMENT.length]);
    assert.deepEqual(s.reported, ['liar']);
    assert.equal(s.stats.integrityFailures, 1);
    assert.deepEqual(s.httpRequests, [0], 'the whole segment again');
  });

  test('a peer that vanishes mid-transfer: the rest comes over HTTP from the byte reached, in time', async () => {
    const s = setup();
    const peer = await s.addPeer('ghost', { rate: 40_000 }); // 100 kB at 40 kB/s: 2.5 s
    const job = s.job(10);
    await s.clock.advance(1000);
    assert.ok(job.received > 0 && job.received < SEGMENT.length, `mid-transfer at ${job.received}`);
    peer.serverChannel.close();
    const delivery = await finish(s.clock, job);
    assert.deepEqual(delivery.data, SEGMENT);
    assert.equal(delivery.p2pBytes + delivery.httpBytes, SEGMENT.length);
    assert.ok(delivery.p2pBytes > 0 && delivery.httpBytes > 0);
    assert.deepEqual(s.httpRequests, [delivery.p2pBytes], 'a Range request from the byte reached');
    assert.equal(s.stats.fallbacks.closed, 1);
    assert.ok(s.httpTimes[0] - 1000 < 1100, 'over HTTP as soon as the peer was gone');
  });

  /** A peer that delivers part of the segment, then vanishes; returns the job and the byte reached. */
  async function vanishingPeer(s, hooks) {
    const peer = await s.addPeer('ghost', { rate: 40_000, hooks });
    const job = s.job(10);
    await s.clock.advance(1000);
    const reached = job.received;
    assert.ok(reached > 0 && reached < SEGMENT.length, `mid-transfer at ${reached}`);
    peer.serverChannel.close();
    return { job, reached };
  }

  test('an edge naming another size than the peer blames nobody: the whole segment over HTTP', async () => {
    const s = setup({
      rangeAnswer: (from) => new Response(SEGMENT.subarray(from), {
        status: 206, headers: { 'Content-Range': `bytes ${from}-${SEGMENT.length - 1}/${SEGMENT.length + 5}` },
      }),
    });
    const { job, reached } = await vanishingPeer(s);
    const delivery = await finish(s.clock, job);
    assert.deepEqual(delivery.data, SEGMENT);
    assert.deepEqual(s.httpRequests, [reached, 0], 'the rest, then the whole segment');
    assert.deepEqual(s.reported, [], 'the peer sent the size the manifest lists');
    assert.equal(s.stats.integrityFailures, 0);
  });

  test('bad bytes from HTTP after a peer\'s good ones: nobody blamed, the whole segment over HTTP', async () => {
    const s = setup({
      rangeAnswer: (from) => {
        const rest = SEGMENT.slice(from);
        rest[rest.length - 1] ^= 0xff;
        return new Response(rest, { status: 206, headers: { 'Content-Range': `bytes ${from}-${SEGMENT.length - 1}/${SEGMENT.length}` } });
      },
    });
    const { job, reached } = await vanishingPeer(s);
    const delivery = await finish(s.clock, job);
    assert.deepEqual(delivery.data, SEGMENT);
    assert.deepEqual(s.httpRequests, [reached, 0]);
    assert.deepEqual(s.reported, [], 'the peer\'s bytes match the verified HTTP copy');
  });

  test('bad bytes from a peer before good ones from HTTP: that peer blamed', async () => {
    const s = setup();
    const { job, reached } = await vanishingPeer(s, { corruptUpload: (sequence, payload) => { payload[0] ^= 0xff; return payload; } });
    const delivery = await finish(s.clock, job);
    assert.deepEqual(delivery.data, SEGMENT);
    assert.deepEqual(s.httpRequests, [reached, 0]);
    assert.deepEqual(s.reported, ['ghost']);
    assert.equal(s.stats.integrityFailures, 1);
  });

  test('a peer naming another size than the manifest lists: that peer alone blamed, HTTP instead', async () => {
    const s = setup();
    const liar = await s.addPeer('liar');
    liar.peerStore.put(SWARM, SEQUENCE, new Uint8Array(SEGMENT.length + 1));
    const delivery = await finish(s.clock, s.job(10));
    assert.deepEqual(delivery.data, SEGMENT);
    assert.deepEqual(s.reported, ['liar']);
    assert.deepEqual(s.httpRequests, [0]);
  });

  test('a 206 without a readable Content-Range is used when it is exactly the rest asked for', async () => {
    const s = setup({ rangeAnswer: (from) => new Response(SEGMENT.subarray(from), { status: 206 }) });
    const { job, reached } = await vanishingPeer(s);
    const delivery = await finish(s.clock, job);
    assert.deepEqual(delivery.data, SEGMENT);
    assert.deepEqual(s.httpRequests, [reached]);
    assert.equal(delivery.p2pBytes, reached);
  });

  test('a 206 that is not the rest asked for is never spliced in: the whole segment over HTTP', async () => {
    for (const rangeAnswer of [
      (from) => new Response(SEGMENT.subarray(from - 10), { status: 206 }), // unreadable range, 10 bytes too long
      (from) => new Response(SEGMENT.subarray(from - 10), { // a range that starts elsewhere, said so
        status: 206, headers: { 'Content-Range': `bytes ${from - 10}-${SEGMENT.length - 1}/${SEGMENT.length}` },
      }),
    ]) {
      const s = setup({ rangeAnswer });
      const { job, reached } = await vanishingPeer(s);
      const delivery = await finish(s.clock, job);
      assert.deepEqual(delivery.data, SEGMENT);
      assert.deepEqual(s.httpRequests, [reached, 0]);
      assert.deepEqual(s.reported, []);
    }
  });

  test('a prefetch whose peer vanishes hands its bytes on: the next job fetches only the rest', async () => {
    const s = setup();
    const peer = await s.addPeer('ghost', { rate: 40_000 });
    const prefetch = s.job(10, { prefetch: true });
    await s.clock.advance(1000);
    const reached = prefetch.received;
    assert.ok(reached > 0 && reached < SEGMENT.length, `mid-transfer at ${reached}`);
    peer.serverChannel.close();
    const aborted = await finish(s.clock, prefetch).then(() => assert.fail('a prefetch without a peer ends'), (e) => e);
    assert.equal(aborted.name, 'JobAborted');
    assert.equal(aborted.partial?.received, reached, 'what arrived goes with the abort');
    const delivery = await finish(s.clock, s.job(3, { resume: aborted.partial }));
    assert.deepEqual(delivery.data, SEGMENT);
    assert.equal(delivery.p2pBytes, reached);
    assert.deepEqual(s.httpRequests, [reached], 'only the rest over HTTP');
  });

  test('a peer slower than the segment plays is abandoned early and asked less often', async () => {
    const s = setup({ bitrate: 50_000 });
    const peer = await s.addPeer('snail', { rate: 20_000 }); // 20 kB/s < 50 kB/s
    const delivery = await finish(s.clock, s.job(10));
    assert.equal(s.stats.fallbacks.slow, 1);
    assert.ok(delivery.p2pBytes > 0, 'the range that arrived is kept');
    assert.deepEqual(s.httpRequests, [delivery.p2pBytes]);
    assert.equal(peer.score.strikes, 1);
    assert.ok(peer.score.penalized(s.httpTimes[0]), 'not asked again for a while');
    assert.ok(s.httpTimes[0] - 1000 < 1000, 'abandoned after the probe time, long before the deadline');
  });

  test('a newcomer still joining waits for its first peer, then gets the segment from it', async () => {
    const s = setup({ live: false });
    s.joining.until = s.clock.now() + JOIN_GRACE_MS;
    const job = s.job(10);
    await s.clock.advance(JOIN_GRACE_MS / 2);
    assert.deepEqual(s.httpRequests, [], 'no peer connected yet, still joining');
    await s.addPeer('first');
    const delivery = await finish(s.clock, job);
    assert.deepEqual([delivery.p2pBytes, delivery.httpBytes], [SEGMENT.length, 0]);
  });

  test('a newcomer whose peers do not come within the join grace fetches over HTTP then', async () => {
    const s = setup({ live: false });
    const joinedUntil = s.clock.now() + JOIN_GRACE_MS;
    s.joining.until = joinedUntil;
    const job = s.job(10);
    await s.clock.advance(JOIN_GRACE_MS - 1);
    assert.deepEqual(s.httpRequests, []);
    const delivery = await finish(s.clock, job);
    assert.equal(delivery.httpBytes, SEGMENT.length);
    assert.deepEqual(s.httpTimes, [joinedUntil]);
  });

  test('a peer announcing it is fetching the segment is waited for, then asked', async () => {
    const s = setup();
    const peer = await s.addPeer('early', { holds: 'fetching' });
    const job = s.job(10);
    await s.clock.advance(500);
    assert.deepEqual(s.httpRequests, []);
    peer.peerStore.put(SWARM, SEQUENCE, SEGMENT);
    peer.server.sendHave(peer.peerStore.holdings(SWARM).held, []);
    const delivery = await finish(s.clock, job);
    assert.equal(delivery.p2pBytes, SEGMENT.length);
  });

  test('nobody announces a new live segment by the deadline: HTTP then; a seeder goes at once', async () => {
    const waiting = setup();
    await waiting.addPeer('empty', { holds: 'none' });
    const job = waiting.job(4); // deadline: 4 s - 2 s window - 30 ms of HTTP
    await waiting.clock.advance(1900);
    assert.deepEqual(waiting.httpRequests, []);
    await finish(waiting.clock, job);
    assert.deepEqual(waiting.httpRequests, [0]);

    const seeding = setup({ seedShare: 1 });
    await seeding.addPeer('empty', { holds: 'none' });
    const startedAt = seeding.clock.now();
    await finish(seeding.clock, seeding.job(4));
    assert.deepEqual(seeding.httpTimes, [startedAt], 'at once');
  });

  test('named elsewhere by the tracker: the swarm is waited for STEER_PATIENCE_MS, then the own rule decides', async () => {
    // The own rule would seed: it does so once the named viewer stayed silent for the patience.
    const s = setup({ seedShare: 1, steeredAway: true });
    await s.addPeer('empty', { holds: 'none' });
    const startedAt = s.clock.now();
    const job = s.job(10);
    await s.clock.advance(STEER_PATIENCE_MS - 100);
    assert.deepEqual(s.httpRequests, [], 'waiting for the named viewer');
    await finish(s.clock, job);
    assert.deepEqual(s.httpTimes, [startedAt + STEER_PATIENCE_MS]);

    // A viewer announcing it is fetching it keeps the wait going past the patience.
    const kept = setup({ seedShare: 1, steeredAway: true });
    await kept.addPeer('fetching', { holds: 'fetching' });
    kept.job(10);
    await kept.clock.advance(STEER_PATIENCE_MS + 1000);
    assert.deepEqual(kept.httpRequests, []);
  });

  test('a peer whose link closed as it was asked: HTTP at once, and nothing keeps running', async () => {
    const s = setup();
    const peer = await s.addPeer('gone');
    peer.link.request = (sequence, start, end, handlers) => {
      handlers.onClose();
      return () => {};
    };
    const delivery = await finish(s.clock, s.job(10));
    assert.equal(delivery.httpBytes, SEGMENT.length);
    assert.equal(s.stats.fallbacks.closed, 1);
    await s.clock.advance(20_000);
    assert.equal(s.clock.timers.size, 0, 'no transfer check left behind');
  });

  test('a cancelled job stops its transfer and delivers nothing', async () => {
    const s = setup();
    await s.addPeer('a', { rate: 10_000 });
    const job = s.job(10);
    await s.clock.advance(300);
    job.cancel();
    await assert.rejects(job.promise, /cancelled/);
    assert.equal(s.store.has(SWARM, SEQUENCE), false);
  });
});

describe('SegmentJob with edge seeders', () => {
  test('bytes from a seeder are seeder bytes, never P2P: counted apart, checked, stored as such; a rescue counted', async () => {
    const s = setup({ live: false });
    await s.addPeer('viewer', { holds: 'none' });
    await s.addPeer('edge', { seeder: true });
    const delivery = await finish(s.clock, s.job(10));
    assert.deepEqual(delivery.data, SEGMENT);
    assert.deepEqual([delivery.httpBytes, delivery.p2pBytes, delivery.seederBytes], [0, 0, SEGMENT.length]);
    assert.deepEqual(s.stats.downloaded, { http: 0, p2p: 0, seeder: SEGMENT.length });
    assert.equal(s.stats.rescues, 1);
    assert.deepEqual(s.httpRequests, [], 'the open channel instead of HTTP');
    const stored = s.store.get(SWARM, SEQUENCE);
    assert.deepEqual([stored?.p2pBytes, stored?.seederBytes], [0, SEGMENT.length]);
    const again = await finish(s.clock, s.job(10));
    assert.deepEqual([again.httpBytes, again.p2pBytes, again.seederBytes], [0, 0, SEGMENT.length], 'from the store: the same split');
  });

  test('a viewer that holds it is asked, not the seeder', async () => {
    const s = setup();
    await s.addPeer('edge', { seeder: true });
    await s.addPeer('viewer');
    const delivery = await finish(s.clock, s.job(10));
    assert.deepEqual([delivery.p2pBytes, delivery.seederBytes], [SEGMENT.length, 0]);
    assert.equal(s.stats.rescues, 0);
  });

  test('a live segment nobody announced: the swarm is waited for until RESCUE_LEAD_MS before the deadline, then the seeder', async () => {
    const s = setup();
    await s.addPeer('viewer', { holds: 'none' });
    await s.addPeer('edge', { seeder: true });
    const startedAt = s.clock.now();
    const job = s.job(10);
    const rescueAt = job.deadline - RESCUE_LEAD_MS;
    await s.clock.advance(rescueAt - startedAt - 10);
    assert.equal(s.stats.downloaded.seeder, 0, 'not before the lead');
    const delivery = await finish(s.clock, job);
    assert.equal(delivery.seederBytes, SEGMENT.length);
    assert.deepEqual(s.httpRequests, []);
    assert.equal(s.stats.rescues, 1);
  });

  test('the seeder\'s bytes are checked like a viewer\'s: bad ones never come out, the seeder is blamed', async () => {
    const s = setup({ live: false });
    await s.addPeer('viewer', { holds: 'none' });
    await s.addPeer('edge', { seeder: true, hooks: { corruptUpload: (sequence, payload) => { payload[0] ^= 0xff; return payload; } } });
    const delivery = await finish(s.clock, s.job(10));
    assert.deepEqual(delivery.data, SEGMENT);
    assert.deepEqual([delivery.httpBytes, delivery.seederBytes], [SEGMENT.length, 0]);
    assert.deepEqual(s.reported, ['edge']);
    assert.equal(s.stats.integrityFailures, 1);
  });

  test('prefetches never go to a seeder', async () => {
    const s = setup();
    await s.addPeer('edge', { seeder: true });
    const aborted = await finish(s.clock, s.job(10, { prefetch: true })).then(() => assert.fail('no viewer holds it'), (e) => e);
    assert.equal(aborted.name, 'JobAborted');
    assert.equal(s.stats.downloaded.seeder, 0);
  });
});
