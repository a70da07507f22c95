// The tracker client against a fake WebSocket: joins after welcome, pings when idle, reconnects
// with backoff and joins again; and the naming of swarms and the engine's options.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { resolveOptions } from '../src/engine/options.js';
import { swarmOf } from '../src/engine/swarm.js';
import { TrackerClient } from '../src/tracker/tracker-client.js';
import { createLogger } from '../src/util/log.js';
import { FakeClock } from './support/fake-clock.js';
import { fakeWebSocket } from './support/fake-socket.js';

function client() {
  const clock = new FakeClock();
  const { FakeSocket, sockets } = fakeWebSocket();
  const tracker = new TrackerClient({
    url: 'ws://tracker.test/ws', token: 'jwt', clock, log: createLogger('silent'), WebSocket: FakeSocket, random: () => 0.5,
  });
  return { tracker, clock, sockets };
}

const WELCOME = { v: 1, type: 'welcome', peerId: 'me', pingIntervalMs: 20_000 };
const DETAILS = { edge: 'http://edge.test', uploadSlots: 4, have: 41 };

describe('TrackerClient', () => {
  test('joins once welcomed, with the token; passes peers and signals on', async () => {
    const { tracker, sockets } = client();
    const peers = [];
    const signals = [];
    tracker.on('peers', (...args) => peers.push(args));
    tracker.on('signal', (message) => signals.push(message));
    tracker.connect();
    tracker.join('demo', '360p', DETAILS);
    assert.deepEqual(sockets[0].sent, [], 'nothing before welcome');
    sockets[0].serverSends(WELCOME);
    assert.equal(tracker.peerId, 'me');
    assert.deepEqual(sockets[0].sent, [{ v: 1, type: 'join', swarm: 'demo', rendition: '360p', ...DETAILS, token: 'jwt' }]);
    sockets[0].serverSends({ v: 1, type: 'peers', swarm: 'demo', rendition: '360p', peers: [{ peerId: 'p2', locality: 'any', seeder: true }] });
    sockets[0].serverSends({ v: 1, type: 'signal', from: 'p2', swarm: 'demo', rendition: '360p', kind: 'offer', data: { sdp: 'x' } });
    assert.deepEqual(peers, [['demo', '360p', [{ peerId: 'p2', locality: 'any', seeder: true }]]]);
    assert.equal(signals[0].from, 'p2');

    tracker.have('demo', '360p', 42);
    tracker.signal('p2', 'demo', '360p', 'answer', { sdp: 'y' });
    tracker.join('demo', '360p', { ...DETAILS, reports: [{ peerId: 'p3', reason: 'integrity' }] });
    tracker.leave('demo', '360p');
    assert.deepEqual(sockets[0].sent.slice(1).map((f) => [f.type, f.newest ?? f.to ?? f.reports?.[0].peerId ?? f.swarm]),
      [['have', 42], ['signal', 'p2'], ['join', 'p3'], ['leave', 'demo']]);
  });

  test('passes assignments on; frames it cannot read are dropped, the connection kept', async () => {
    const { tracker, sockets } = client();
    const assigned = [];
    const peers = [];
    tracker.on('assign', (assignment) => assigned.push(assignment));
    tracker.on('peers', (...args) => peers.push(args));
    tracker.connect();
    sockets[0].serverSends(WELCOME);
    const assign = { v: 1, type: 'assign', swarm: 'demo', rendition: '360p', sequence: 43, fetchers: ['me', 'p2'] };
    sockets[0].serverSends(assign);
    sockets[0].serverSends({ ...assign, fetchers: [] });
    sockets[0].serverSends({ v: 1, type: 'peers', swarm: 'demo', rendition: '360p', peers: [{ peerId: 'p2' }] });
    sockets[0].serverSends({ v: 1, type: 'of-a-later-version' });
    assert.deepEqual(assigned, [assign]);
    assert.deepEqual(peers, [], 'a peer without locality: the list is malformed');
    assert.equal(tracker.state, 'open');
  });

  test('a live viewer joins with live: true, again after a reconnect', async () => {
    const { tracker, clock, sockets } = client();
    tracker.connect();
    sockets[0].serverSends(WELCOME);
    tracker.join('demo', '360p', { ...DETAILS, live: true });
    sockets[0].serverCloses();
    await clock.advance(1000);
    sockets[1].serverSends(WELCOME);
    for (const socket of sockets) {
      assert.deepEqual(socket.sent, [{ v: 1, type: 'join', swarm: 'demo', rendition: '360p', ...DETAILS, live: true, token: 'jwt' }]);
    }
  });

  test('pings when it has said nothing for half the interval', async () => {
    const { tracker, clock, sockets } = client();
    tracker.connect();
    sockets[0].serverSends(WELCOME);
    await clock.advance(10_000);
    assert.deepEqual(sockets[0].sent.map((f) => f.type), ['ping']);
    await clock.advance(5000);
    tracker.have('demo', '360p', 1); // not joined: not sent
    await clock.advance(5000);
    assert.deepEqual(sockets[0].sent.map((f) => f.type), ['ping', 'ping']);
  });

  test('a viewer reports its figures right after joining, then every 5 s to the swarm it joined last', async () => {
    const { tracker, clock, sockets } = client();
    let figures = { http: 100, p2p: 0, seeder: 0, uploaded: 0, stalls: 0, integrityFailures: 0 };
    tracker.reportFiguresOf(() => figures);
    tracker.connect();
    sockets[0].serverSends(WELCOME);
    tracker.join('demo', '360p', DETAILS);
    const stats = () => sockets[0].sent.filter((f) => f.type === 'stats');
    assert.deepEqual(stats(), [{ v: 1, type: 'stats', swarm: 'demo', rendition: '360p', ...figures }], 'the baseline');
    figures = { ...figures, p2p: 400, uploaded: 50, stalls: 1 };
    tracker.join('demo', '180p', DETAILS);
    assert.equal(stats().length, 1, 'one baseline per connection');
    await clock.advance(5_000);
    assert.deepEqual(stats()[1], { v: 1, type: 'stats', swarm: 'demo', rendition: '180p', ...figures });
    tracker.leave('demo', '180p');
    await clock.advance(5_000);
    assert.equal(stats()[2].rendition, '360p', 'back to the swarm still joined');
    sockets[0].serverCloses();
    await clock.advance(1_000);
    sockets[1].serverSends(WELCOME);
    assert.deepEqual(sockets[1].sent.map((f) => f.type), ['join', 'stats'], 'a new connection, a new baseline');
  });

  test('reconnects with growing backoff and joins its swarms again', async () => {
    const { tracker, clock, sockets } = client();
    const states = [];
    tracker.on('state', (state) => states.push(state));
    tracker.connect();
    sockets[0].serverSends(WELCOME);
    tracker.join('demo', '360p', DETAILS);
    sockets[0].serverCloses();
    assert.equal(tracker.peerId, null);
    await clock.advance(999);
    assert.equal(sockets.length, 1);
    await clock.advance(1);
    assert.equal(sockets.length, 2, 'first retry after 1 s');
    sockets[1].serverCloses();
    await clock.advance(1999);
    assert.equal(sockets.length, 2);
    await clock.advance(1);
    assert.equal(sockets.length, 3, 'second retry after 2 s');
    sockets[2].serverSends({ ...WELCOME, peerId: 'me-again' });
    assert.deepEqual(sockets[2].sent.map((f) => [f.type, f.swarm]), [['join', 'demo']]);
    assert.deepEqual(states, ['connecting', 'open', 'closed', 'connecting', 'closed', 'connecting', 'open']);
    tracker.close();
    assert.ok(sockets[2].closed);
    await clock.advance(60_000);
    assert.equal(sockets.length, 3, 'no reconnect after close');
  });
});

describe('swarmOf', () => {
  test('live playlists: stream and rendition from /live/NAME/REND/, tokens and queries ignored', () => {
    assert.deepEqual(swarmOf('http://e/live/demo/360p/index.m3u8'), { stream: 'demo', rendition: '360p', key: 'demo/360p' });
    assert.deepEqual(swarmOf('http://e/~t/1.a.b/live/demo/180p/index.m3u8?token=x').key, 'demo/180p');
    assert.equal(swarmOf('http://e/live/demo/360p/index.m3u8', 'event-7').key, 'event-7/360p');
  });

  test('other playlists: the folder is the stream, the file (or folder of index.m3u8) the rendition', () => {
    assert.equal(swarmOf('http://e/vod/films/intro/720p.m3u8').key, 'vod/films/intro/720p');
    assert.equal(swarmOf('http://e/vod/films/intro/720p/index.m3u8').key, 'vod/films/intro/720p');
    assert.equal(swarmOf('http://e/a%20b/x.m3u8').stream, 'a_b');
    assert.equal(swarmOf(`http://e/${'s'.repeat(200)}/x.m3u8`).stream.length, 128);
  });
});

describe('options', () => {
  test('defaults, and refusals that name the option', () => {
    const o = resolveOptions({ tracker: 'ws://t/ws', maxPeers: 3 });
    assert.equal(o.maxPeers, 3);
    assert.equal(o.p2p, true);
    assert.equal(o.httpWindow, 2);
    assert.throws(() => resolveOptions({ maxPeers: 0 }), /maxPeers/);
    assert.throws(() => resolveOptions({ seedShare: 2 }), /seedShare/);
    assert.throws(() => resolveOptions({ p2p: 'yes' }), /p2p/);
    assert.throws(() => resolveOptions({ logLevel: 'loud' }), /logLevel/);
    assert.throws(() => resolveOptions({ trackerUrl: 'x' }), /unknown option trackerUrl/);
  });
});
