// The engine through the player-neutral contract alone (src/engine/player-contract.js), as another
// player's integration would drive it: no hls.js, no hls/ module. And what only tests may change
// (clock, fetch, hooks) is no option.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SwarmEngine } from '../src/engine/engine.js';
import { DEFAULTS } from '../src/engine/options.js';
import { JOIN_GRACE_MS } from '../src/engine/swarm-session.js';
import { FakeClock } from './support/fake-clock.js';
import { fakeWebSocket } from './support/fake-socket.js';

const PLAYLIST = 'http://edge.test/live/demo/180p/index.m3u8';
const segment = (sequence) => ({
  sequence, start: sequence * 2, duration: 2, url: `http://edge.test/live/demo/180p/seg_${sequence}.m4s`, uri: `seg_${sequence}.m4s`,
});

function engineWith(options = {}) {
  const clock = new FakeClock();
  const { FakeSocket, sockets } = fakeWebSocket({ welcome: { v: 1, type: 'welcome', peerId: 'me', pingIntervalMs: 20_000 } });
  const requests = [];
  const fetch = async (url) => {
    requests.push(url);
    if (url.endsWith('/_edge/ice-servers')) return new Response('[]');
    if (url.endsWith('.json')) return new Response('missing', { status: 404 });
    return new Response(new Uint8Array(1000), { status: 200, headers: { 'Content-Length': '1000' } });
  };
  const delivered = [];
  const engine = new SwarmEngine({ tracker: 'ws://tracker.test/ws', logLevel: 'silent', ...options },
    { clock, fetch, WebSocket: FakeSocket, random: () => 0.99, hooks: { delivered: (info, data) => delivered.push([info, data.byteLength]) } });
  const joins = () => sockets.flatMap((s) => s.sent).filter((f) => f.type === 'join');
  return { engine, clock, joins, delivered, requests };
}

describe('SwarmEngine, fed by a player integration', () => {
  test('renditions, playhead, a segment request, its load and hand-over: no player library involved', async () => {
    const { engine, clock, joins, delivered } = engineWith();
    engine.renditionLoaded({ url: PLAYLIST, live: true, bitrate: 400_000, segments: [4, 5, 6].map(segment) }, true);
    engine.followPlayhead({ readyState: 4, currentTime: 8, playbackRate: 1, buffered: { length: 1, start: () => 8, end: () => 10 } });
    await clock.advance(10);
    assert.deepEqual(joins(), [], 'no swarm before the player has its first segment');

    const ref = engine.segmentRef({ playlistUrl: PLAYLIST, sequence: 6, url: segment(6).url });
    assert.deepEqual(ref, { swarm: 'demo/180p', sequence: 6, url: segment(6).url, uri: segment(6).url, playlistUrl: PLAYLIST,
      duration: 2, bitrate: 50_000, live: true }, 'defaults from the rendition: its bitrate (bytes/s), 2 s');
    const progress = [];
    const { promise } = engine.load(/** @type {any} */ (ref), 12_000, (received, size) => progress.push([received, size]));
    await clock.advance(10);
    const delivery = await promise;
    assert.equal(delivery.httpBytes, 1000);
    await clock.advance(10);
    assert.deepEqual(joins().map((f) => [f.swarm, f.rendition, f.live]), [['demo', '180p', true]], 'joined once it is here');
    assert.deepEqual(progress.at(-1), [1000, 1000], 'HTTP progress is reported');
    assert.ok(engine.http.measured, 'the HTTP pace an integration reports deliveries at');

    engine.handedOver(/** @type {any} */ (ref), delivery, delivery.data.slice().buffer);
    assert.deepEqual(engine.getStats().delivered, { http: 1000, p2p: 0, seeder: 0 });
    assert.deepEqual(delivered.map(([info, bytes]) => [info.sequence, info.httpBytes, bytes]), [[6, 1000, 1000]], 'the test hook saw it');
    engine.destroy();
    assert.equal(engine.segmentRef({ playlistUrl: PLAYLIST, sequence: 7, url: segment(7).url }), null, 'destroyed: nothing taken');
  });

  test('a newcomer still joining waits for its first peers up to the join grace, then takes HTTP', async () => {
    const { engine, clock, joins, requests } = engineWith();
    engine.renditionLoaded({ url: PLAYLIST, live: true, bitrate: 400_000, segments: [4, 5, 6, 7, 8, 9].map(segment) }, true);
    engine.followPlayhead({ readyState: 4, currentTime: 8, playbackRate: 1, buffered: { length: 1, start: () => 8, end: () => 10 } });
    const first = engine.segmentRef({ playlistUrl: PLAYLIST, sequence: 4, url: segment(4).url });
    const started = engine.load(/** @type {any} */ (first), 8_000, () => {});
    await clock.advance(10);
    await started.promise;
    await clock.advance(10);
    assert.equal(joins().length, 1, 'joined, the tracker has not answered yet');

    // 10 s of buffer ahead of it: far enough to wait. With no peer yet this viewer would be the
    // "oldest" of nobody and seed it at once; while joining it does not.
    engine.followPlayhead({ readyState: 4, currentTime: 8, playbackRate: 1, buffered: { length: 1, start: () => 8, end: () => 30 } });
    const later = engine.segmentRef({ playlistUrl: PLAYLIST, sequence: 9, url: segment(9).url });
    engine.load(/** @type {any} */ (later), 18_000, () => {});
    await clock.advance(JOIN_GRACE_MS - 100);
    assert.ok(!requests.includes(segment(9).url), 'waited for peers while joining');
    await clock.advance(200);
    assert.ok(requests.includes(segment(9).url), 'over HTTP once the grace is over');
    engine.destroy();
  });

  test('P2P off: every request stays with the player; what it loads itself still counts', () => {
    const { engine } = engineWith({ p2p: false });
    assert.equal(engine.segmentRef({ playlistUrl: PLAYLIST, sequence: 6, url: segment(6).url }), null);
    engine.segmentFetched(500);
    assert.deepEqual(engine.getStats().delivered, { http: 500, p2p: 0, seeder: 0 });
    engine.destroy();
  });

  test('test hooks are no option: the public options are the user-facing ones', () => {
    assert.throws(() => new SwarmEngine({ testHooks: {} }), /unknown option testHooks/);
    assert.ok(!('testHooks' in DEFAULTS));
  });
});

describe('startup: the first segment waits for nothing of the swarm', () => {
  /**
   * An engine whose tracker never answers (no welcome) and whose manifest, key document and ICE
   * servers never come: those requests hang. Segments answer with `segmentStatus` when the test
   * says so (`answer`).
   */
  function silentSwarm(segmentStatus = 200) {
    const clock = new FakeClock();
    const { FakeSocket, sockets } = fakeWebSocket();
    const asked = [];
    const waiting = [];
    const fetch = (url, init) => {
      asked.push(url);
      if (/\.json$|\/_edge\/ice-servers$/.test(url)) return new Promise(() => {});
      return new Promise((resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
        waiting.push(() => resolve(new Response(new Uint8Array(1000), { status: segmentStatus, headers: { 'Content-Length': '1000' } })));
      });
    };
    const answer = () => waiting.splice(0).forEach((respond) => respond());
    const engine = new SwarmEngine({ tracker: 'ws://tracker.test/ws', logLevel: 'silent' }, { clock, fetch, WebSocket: FakeSocket });
    engine.renditionLoaded({ url: PLAYLIST, live: true, bitrate: 400_000, segments: [4, 5, 6].map(segment) }, true);
    // Before the first frame: nothing buffered.
    engine.followPlayhead({ readyState: 0, currentTime: 0, playbackRate: 1, buffered: { length: 0, start: () => 0, end: () => 0 } });
    const load = (sequence) => engine.load(/** @type {any} */ (engine.segmentRef({ playlistUrl: PLAYLIST, sequence, url: segment(sequence).url })),
      sequence * 2000, () => {});
    const swarmRequests = () => asked.filter((url) => !/seg_\d+\.m4s$/.test(url));
    return { engine, clock, sockets, asked, load, answer, swarmRequests };
  }

  test('the tracker never answers, the manifest, its key and the ICE servers hang: the first segments come over HTTP at once', async () => {
    const { engine, clock, sockets, asked, load, answer, swarmRequests } = silentSwarm();
    const startedAt = clock.now();
    const first = load(4);
    assert.deepEqual(asked, [segment(4).url], 'the segment\'s request is issued at once, within load()');
    await clock.settle();
    assert.deepEqual(swarmRequests(), [], 'nothing of the swarm competes with it: no manifest, key or ICE servers asked');
    assert.equal(sockets.length, 0, 'and no tracker connection');
    answer();
    assert.equal((await first.promise).httpBytes, 1000, 'delivered');

    await clock.settle();
    assert.equal(sockets.length, 1, 'the swarm joins once the first segment is here: the tracker connection opens');
    assert.deepEqual(swarmRequests().sort(), ['http://edge.test/_edge/ice-servers', 'http://edge.test/keys/integrity.json',
      'http://edge.test/live/demo/180p/index.integrity.json'], 'and the manifest, its key and the ICE servers are asked (and hang)');
    const second = load(5);
    assert.equal(asked.at(-1), segment(5).url, 'the next segment does not wait for them either');
    answer();
    assert.equal((await second.promise).httpBytes, 1000);
    assert.equal(clock.now(), startedAt, 'no time passed: nothing waited for a timer');
    engine.destroy();
  });

  test('a first segment that failed opens the swarm too; an engine destroyed first never does', async () => {
    const failed = silentSwarm(404);
    const { promise: refused } = failed.load(4);
    failed.answer();
    await assert.rejects(refused, /HTTP 404/);
    await failed.clock.settle();
    assert.equal(failed.sockets.length, 1);
    failed.engine.destroy();

    const gone = silentSwarm();
    const { promise } = gone.load(4);
    gone.engine.destroy();
    await promise.catch(() => {});
    await gone.clock.settle();
    assert.equal(gone.sockets.length, 0, 'no tracker connection after destroy');
    assert.deepEqual(gone.swarmRequests(), []);
  });
});
