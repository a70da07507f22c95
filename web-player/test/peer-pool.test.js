// The pool's view of its peers: edge seeders (HELLO flag bit 0) apart from viewers, so that the
// scheduler sees them only as a rescue and prefetches never use them.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SEEDER } from '../src/peer/frames.js';
import { PeerLink } from '../src/peer/peer-link.js';
import { isSeeder, PeerPool } from '../src/peer/peer-pool.js';
import { createLogger } from '../src/util/log.js';
import { channelPair } from './support/fake-channel.js';
import { FakeClock, settle } from './support/fake-clock.js';

const HELLO = { stream: 'demo', rendition: '360p', maxRequests: 4, maxRequestBytes: 1 << 20 };

/** A pool whose sessions open at once onto remote links the test describes by peer id. */
function pool(remotes) {
  const clock = new FakeClock();
  const hellos = [];
  let opened = 0;
  const created = new PeerPool({
    stream: 'demo', rendition: '360p', maxPeers: 6, maxRequests: 4, iceServers: () => [], selfId: () => 'me',
    holdings: () => ({ held: [], fetching: [] }), sendSignal() {}, clock, log: createLogger('silent'),
    createSession: ({ onChannel }) => ({
      signal() {},
      close() {},
      offer() {
        const [mine, theirs] = channelPair();
        const { flags, held = [], fetching = [] } = remotes[opened++];
        const remote = new PeerLink(theirs, { hello: { ...HELLO, flags }, clock, holdings: () => ({ held, fetching }) });
        remote.on('ready', (hello) => hellos.push(hello));
        onChannel(mine);
        mine.open();
      },
    }),
  });
  return { pool: created, hellos };
}

describe('PeerPool with edge seeders', () => {
  test('seeders are apart: not holders, fetchers nor viewers; seeders(sequence) lists those that hold it', async () => {
    const { pool: p, hellos } = pool([
      { flags: 0, held: [{ first: 10, count: 1 }] },
      { flags: SEEDER, held: [{ first: 10, count: 2 }] },
      { flags: 0, fetching: [{ first: 11, count: 1 }] },
      { flags: SEEDER, fetching: [{ first: 11, count: 1 }] },
    ]);
    p.connectTo([{ peerId: 'viewer', locality: 'any' }, { peerId: 'edge', locality: 'edge', seeder: true },
      { peerId: 'late', locality: 'any' }, { peerId: 'edge2', locality: 'edge', seeder: true }]);
    await settle();
    assert.deepEqual(hellos.map((h) => h.flags), [0, 0, 0, 0], 'a browser never says it is a seeder');
    assert.deepEqual(p.connected.map((peer) => peer.id), ['viewer', 'edge', 'late', 'edge2']);
    assert.deepEqual(p.viewers.map((peer) => peer.id), ['viewer', 'late']);
    assert.deepEqual(p.connected.filter(isSeeder).map((peer) => peer.id), ['edge', 'edge2']);
    assert.deepEqual(p.holders(10).map((peer) => peer.id), ['viewer']);
    assert.deepEqual(p.seeders(10).map((peer) => peer.id), ['edge']);
    assert.deepEqual(p.holders(11).map((peer) => peer.id), []);
    assert.deepEqual(p.seeders(11).map((peer) => peer.id), ['edge']);
    assert.equal(p.fetchers(11), 1, 'the viewer fetching it, not the seeder');
    p.close();
  });

  test('seeders take no viewer\'s place in a full pool, two at most besides its viewers', async () => {
    const viewers = Array.from({ length: 6 }, (_, i) => ({ peerId: `viewer-${i}`, locality: 'any' }));
    const edges = Array.from({ length: 3 }, (_, i) => ({ peerId: `edge-${i}`, locality: 'edge', seeder: true }));
    const { pool: p } = pool([...viewers.map(() => ({ flags: 0 })), ...edges.map(() => ({ flags: SEEDER }))]);
    p.connectTo([...viewers, { peerId: 'viewer-late', locality: 'any' }, ...edges]);
    await settle();
    assert.equal(p.full, true);
    assert.deepEqual(p.viewers.map((peer) => peer.id), viewers.map((v) => v.peerId));
    assert.deepEqual(p.connected.filter(isSeeder).map((peer) => peer.id), ['edge-0', 'edge-1']);
    p.close();
  });
});
