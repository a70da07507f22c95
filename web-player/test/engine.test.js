// The engine with a fake hls.js, tracker socket and edge: it joins the swarm of the rendition being
// played and moves on a switch, hands hls.js P2P deliveries at HTTP's pace, and the loader keeps
// what it does not handle with hls.js's own loader.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Assignments, KEPT } from '../src/engine/assignments.js';
import { P2PEngine } from '../src/hls/p2p-engine.js';
import { FakeClock, settle } from './support/fake-clock.js';
import { fakeWebSocket } from './support/fake-socket.js';

const EDGE = 'http://edge.test';
const playlist = (rendition) => `${EDGE}/live/demo/${rendition}/index.m3u8`;

/**
 * @param {object} [options]  engine options
 * @param {{routeAnswer?: object, segments?: (url: string) => Promise<Response> | Response | undefined}} [edge]
 *   segments: answers segment requests instead of the 1000 bytes every segment is by default
 */
function harness(options = {}, { routeAnswer, segments } = {}) {
  const clock = new FakeClock();
  const { FakeSocket, sockets } = fakeWebSocket({ welcome: { v: 1, type: 'welcome', peerId: 'me', pingIntervalMs: 20_000 } });
  const fetched = [];
  const ranges = [];
  const fetch = async (url, init) => {
    fetched.push(url);
    if (url.startsWith('http://tracker.test/route?')) return new Response(JSON.stringify(routeAnswer));
    if (url.endsWith('/_edge/ice-servers')) return new Response('[]');
    if (url.endsWith('.integrity.json') || url.endsWith('/keys/integrity.json')) return new Response('missing', { status: 404 });
    ranges.push(init?.headers?.Range ?? null);
    return await segments?.(url) ?? new Response(new Uint8Array(1000), { status: 200, headers: { 'Content-Length': '1000' } });
  };
  const engine = new P2PEngine({ tracker: 'ws://tracker.test/ws', ...options }, { clock, fetch, WebSocket: FakeSocket, random: () => 0.99 });
  const handlers = new Map();
  class DefaultLoader {
    constructor() { this.stats = null; }
    load(context, config, callbacks) { this.loaded = context; callbacks.onSuccess({ url: context.url, data: '#EXTM3U\n#EXT-X-SWARMCDN-INTEGRITY:URI="m.json"\n' }, this.stats, context, null); }
    abort() {}
    destroy() {}
  }
  const hls = {
    constructor: { DefaultConfig: { loader: DefaultLoader } },
    levels: [{ bitrate: 250_000, height: 180 }, { bitrate: 800_000, height: 360 }],
    loadLevel: 0,
    media: null,
    bandwidthEstimate: 2e6,
    on: (event, handler) => handlers.set(event, handler),
    off: (event) => handlers.delete(event),
  };
  engine.attach(hls);
  // Pings and the viewer's figures (tracker-client.test.js) come and go with time: left out here.
  const trackerFrames = () => sockets.flatMap((s) => s.sent).filter((f) => f.type !== 'ping' && f.type !== 'stats');
  /** hls.js loaded a media playlist listing segments `first` to `last` (none by default). */
  const levelLoaded = (level, rendition, { first = 0, last = -1, live = true } = {}) => handlers.get('hlsLevelLoaded')?.('hlsLevelLoaded', {
    level, levelInfo: hls.levels[level], details: { url: playlist(rendition), live, fragments: fragments(rendition, first, last) },
  });
  const tracker = () => sockets[sockets.length - 1];
  /** The player got its first segment (held already, so nothing is fetched): startup is over, the swarm opens. */
  const started = async (rendition = '180p') => {
    engine.store.put(`demo/${rendition}`, 0, new Uint8Array(1000), 0);
    await engine.load(ref(rendition, 0), 0, () => {}).promise;
    await clock.advance(10);
  };
  return { engine, hls, clock, trackerFrames, levelLoaded, fetched, ranges, handlers, tracker, started };
}

const fragments = (rendition, first, last) => Array.from({ length: last - first + 1 }, (_, i) => ({
  sn: first + i, start: (first + i) * 2, duration: 2, relurl: `seg_${first + i}.m4s`, url: `${EDGE}/live/demo/${rendition}/seg_${first + i}.m4s`,
}));
const segmentUrl = (rendition, sequence) => `${EDGE}/live/demo/${rendition}/seg_${sequence}.m4s`;

const ref = (rendition, sequence) => ({
  swarm: `demo/${rendition}`, sequence, url: `${EDGE}/live/demo/${rendition}/seg_${sequence}.m4s`, uri: `seg_${sequence}.m4s`,
  playlistUrl: playlist(rendition), duration: 2, bitrate: 100_000, live: true,
});

describe('P2PEngine', () => {
  test('joins the swarm of the rendition played, and moves to the new one on a switch', async () => {
    const { engine, hls, clock, trackerFrames, levelLoaded, started } = harness();
    levelLoaded(0, '180p');
    await clock.advance(10);
    assert.deepEqual(trackerFrames(), [], 'not before the player has its first segment');
    await started();
    assert.deepEqual(trackerFrames().map((f) => [f.type, f.swarm, f.rendition, f.edge]), [['join', 'demo', '180p', EDGE]]);
    hls.loadLevel = 1;
    const { promise } = engine.load(ref('360p', 5), 10_000, () => {});
    await clock.advance(10);
    await promise;
    const moves = trackerFrames().slice(1).map((f) => `${f.type} ${f.rendition}`);
    assert.ok(moves.includes('leave 180p') && moves.includes('join 360p'), moves.join(', '));
    assert.ok(moves.includes('have 360p'), 'the tracker learns the newest segment held');
    assert.equal(engine.getStats().swarm, 'demo/360p');
    assert.equal(engine.getStats().downloaded.http, 1000);
    engine.destroy();
    assert.deepEqual(trackerFrames().slice(-1).map((f) => [f.type, f.rendition]), [['leave', '360p']]);
  });

  test('P2P deliveries look to hls.js as fast as HTTP went, never faster', () => {
    const { engine } = harness();
    engine.http.sample(1_000_000, 1000, 50); // HTTP: 1 MB/s, 50 ms to first byte
    const timing = engine.timingFor({ data: new Uint8Array(500_000), httpBytes: 0, p2pBytes: 500_000, seederBytes: 0, http: null }, 10_000);
    assert.equal(Math.round(timing.end - timing.first), 500);
    assert.equal(Math.round(timing.first - timing.start), 50);
    const http = { requestedAt: 1, firstByteAt: 2, endAt: 3 };
    assert.deepEqual(engine.timingFor({ data: new Uint8Array(10), httpBytes: 10, p2pBytes: 0, seederBytes: 0, http }, 10_000),
      { start: 1, first: 2, end: 3 }, 'HTTP alone keeps its measured timing');
    const seeded = engine.timingFor({ data: new Uint8Array(500_000), httpBytes: 0, p2pBytes: 0, seederBytes: 500_000, http }, 10_000);
    assert.equal(Math.round(seeded.end - seeded.first), 500, 'bytes from an edge seeder\'s channel: at HTTP\'s pace too');
    engine.destroy();
  });

  test('before any HTTP transfer is measured, P2P deliveries go at hls.js\'s own estimate (no change to it)', () => {
    const { engine } = harness();
    const timing = engine.timingFor({ data: new Uint8Array(250_000), httpBytes: 0, p2pBytes: 250_000, seederBytes: 0, http: null }, 10_000);
    assert.equal(Math.round(timing.end - timing.first), 1000); // 2 Mbit/s
    engine.destroy();
  });

  test('the loader leaves playlists and init segments to hls.js\'s loader, and reads the integrity tag', async () => {
    const { engine } = harness();
    const loader = new engine.Loader({});
    let response = null;
    loader.load({ type: 'level', url: playlist('360p') }, {}, { onSuccess: (r) => { response = r; } });
    assert.ok(response.data.startsWith('#EXTM3U'));
    assert.ok(loader.delegate.loaded, 'the default loader got the request');
    assert.equal(loader.delegate.stats, loader.stats, 'and shares the stats object hls.js holds');
    assert.equal(engine.integrity.tagged.get(playlist('360p')), 'm.json');
    const init = new engine.Loader({});
    init.load({ type: 'media-fragment', url: `${EDGE}/init.mp4`, frag: { type: 'main', sn: 'initSegment' } }, {}, { onSuccess() {} });
    assert.ok(init.delegate);
    engine.destroy();
  });

  test('with route, the stream loads from the edge the tracker names, with its tokens', async () => {
    const asked = [];
    const fetch = async (url) => {
      asked.push(url);
      return new Response(JSON.stringify({ stream: 'demo', edge: 'http://edge-7.test:8081', tracker: 'ws://tracker-2.test/ws',
        fallback: false, tokens: { edge: '1893456000.L2xpdmUvZGVtby8.sig', tracker: 'jwt' } }));
    };
    const engine = new P2PEngine({ route: 'http://tracker.test/route' }, { clock: new FakeClock(), fetch });
    const url = await engine.resolve('/live/demo/master.m3u8');
    assert.deepEqual(asked, ['http://tracker.test/route?stream=demo']);
    assert.equal(url, 'http://edge-7.test:8081/~t/1893456000.L2xpdmUvZGVtby8.sig/live/demo/master.m3u8');
    assert.equal(engine.session.trackerUrl, 'ws://tracker-2.test/ws');
    assert.equal(engine.session.joinToken, 'jwt');
    const direct = new P2PEngine({ tracker: 'ws://t/ws' }, { clock: new FakeClock(), fetch });
    assert.equal(await direct.resolve('http://edge.test/live/demo/master.m3u8'), 'http://edge.test/live/demo/master.m3u8');
    assert.equal(asked.length, 1, 'no route asked without the option');
    engine.destroy();
    direct.destroy();
  });

  test('segment bytes count as delivered when hls.js gets them: a prefetched segment once, a dropped one never', async () => {
    const { engine, clock, levelLoaded } = harness();
    levelLoaded(0, '180p');
    const fragment = (sn) => ({
      type: 'media-fragment', url: `${EDGE}/live/demo/180p/seg_${sn}.m4s`,
      frag: { type: 'main', sn, level: 0, baseurl: playlist('180p'), relurl: `seg_${sn}.m4s`, start: 10, duration: 2 },
    });
    const load = async (sn) => {
      const got = [];
      const loader = new engine.Loader({});
      loader.load(fragment(sn), {}, { onSuccess: (r) => got.push(r.data.byteLength), onError: (e) => got.push(e) });
      await clock.advance(10);
      return got;
    };
    // What a finished prefetch leaves: the segment held, 600 of its 1000 bytes from peers.
    engine.store.put('demo/180p', 7, new Uint8Array(1000), 600);
    assert.deepEqual(engine.getStats().delivered, { http: 0, p2p: 0, seeder: 0 }, 'nothing counted before hls.js has it');
    assert.deepEqual(await load(7), [1000]);
    assert.deepEqual(engine.getStats().delivered, { http: 400, p2p: 600, seeder: 0 });
    assert.deepEqual(engine.getStats().segments, { http: 0, p2p: 1, seeder: 0 });
    assert.deepEqual(await load(7), [1000], 'asked again (a seek back): from the cache');
    assert.deepEqual(engine.getStats().delivered, { http: 400, p2p: 600, seeder: 0 }, 'but counted once');

    const dropped = new engine.Loader({});
    dropped.load(fragment(8), {}, { onSuccess() { assert.fail('aborted'); }, onAbort() {} });
    dropped.abort();
    await clock.advance(10);
    assert.deepEqual(engine.getStats().delivered, { http: 400, p2p: 600, seeder: 0 }, 'a segment hls.js dropped is not delivered');
    engine.destroy();
  });

  test('the bytes a prefetch got before it gave up go to the next job for that segment', async () => {
    const { engine, clock, levelLoaded, ranges } = harness();
    levelLoaded(0, '180p');
    const partial = { buffer: new Uint8Array(1000), size: 1000, received: 400, p2pBytes: 400, spans: [{ peer: 'p', from: 0, to: 400 }] };
    engine.jobs.partials.set('demo/180p#9', partial);
    const prefetch = engine.jobs.start(ref('180p', 9), 10, true);
    await assert.rejects(prefetch.promise, /no peer for a prefetch/);
    assert.equal(engine.jobs.partials.get('demo/180p#9')?.received, 400, 'kept after the prefetch gave up');
    const { promise } = engine.load(ref('180p', 9), 10_000, () => {});
    for (let i = 0; i < 100 && ranges.length === 0; i++) await clock.advance(10);
    assert.equal(ranges[0], 'bytes=400-', 'the player\'s job fetches only the rest');
    assert.equal(engine.jobs.partials.size, 0);
    promise.catch(() => {});
    engine.destroy();
  });

  test('ICE servers: the route answer\'s, else the edge\'s; the iceServers option before both', async () => {
    const routed = [{ urls: 'turn:turn.test:3478', username: 'u', credential: 'c' }];
    const answer = { stream: 'demo', edge: EDGE, tracker: 'ws://tracker.test/ws', fallback: false, iceServers: routed };
    const iceAsked = (fetched) => fetched.filter((url) => url.endsWith('/_edge/ice-servers')).length;
    const joined = async (h) => {
      await h.engine.resolve('/live/demo/master.m3u8');
      h.levelLoaded(0, '180p');
      await h.started();
      assert.deepEqual(h.trackerFrames().map((f) => f.type), ['join'], 'joined once the ICE servers are known');
      return h.engine.session.active.pool.iceServers();
    };

    const fromRoute = harness({ route: 'http://tracker.test/route' }, { routeAnswer: answer });
    assert.deepEqual(await joined(fromRoute), routed);
    assert.equal(iceAsked(fromRoute.fetched), 0, 'the edge is not asked');

    const pinned = [{ urls: 'stun:mine.test' }];
    const fromOption = harness({ route: 'http://tracker.test/route', iceServers: pinned }, { routeAnswer: answer });
    assert.deepEqual(await joined(fromOption), pinned);
    assert.equal(iceAsked(fromOption.fetched), 0);

    const fromEdge = harness({ route: 'http://tracker.test/route' }, { routeAnswer: { ...answer, iceServers: undefined } });
    assert.deepEqual(await joined(fromEdge), []);
    assert.equal(iceAsked(fromEdge.fetched), 1);

    const malformed = harness({ route: 'http://tracker.test/route' }, { routeAnswer: { ...answer, iceServers: [{ url: 'x' }] } });
    assert.deepEqual(await joined(malformed), [], 'a list that is no RTCIceServer[] is not used');
    assert.equal(iceAsked(malformed.fetched), 1, 'the edge\'s instead');
    [fromRoute, fromOption, fromEdge, malformed].forEach((h) => h.engine.destroy());
  });

  test('P2P off: every request stays with hls.js, no tracker connection', async () => {
    const { engine, trackerFrames, levelLoaded, clock } = harness({ p2p: false });
    levelLoaded(0, '180p');
    await clock.advance(10);
    assert.deepEqual(trackerFrames(), []);
    assert.equal(engine.fragmentRef({ type: 'media-fragment', url: 'x', frag: { type: 'main', sn: 3, level: 0 } }), null);
    assert.equal(engine.getStats().tracker, 'off');
    engine.destroy();
    await settle();
  });
});

describe('P2PEngine steering (the tracker\'s assign)', () => {
  const assign = (sequence, fetchers, rendition = '180p') => ({ v: 1, type: 'assign', swarm: 'demo', rendition, sequence, fetchers });
  const segmentsFetched = (fetched) => fetched.filter((url) => /seg_\d+\.m4s$/.test(url));

  /** A live viewer of demo/180p, joined, its playlist listing segments 10 to 12. */
  async function joined(edge) {
    const h = harness({}, edge);
    h.levelLoaded(0, '180p', { first: 10, last: 12 });
    await h.started();
    return h;
  }

  test('a live viewer joins with live: true; an on-demand one without', async () => {
    const live = await joined();
    assert.deepEqual(live.trackerFrames().map((f) => [f.type, f.live]), [['join', true]]);
    const vod = harness();
    vod.levelLoaded(0, '180p', { first: 0, last: 3, live: false });
    await vod.started();
    assert.deepEqual(vod.trackerFrames().map((f) => [f.type, 'live' in f, 'seeder' in f]), [['join', false, false]]);
    live.engine.destroy();
    vod.engine.destroy();
  });

  test('seeds(swarm, sequence): the assignment when one is known, the engine\'s own rule otherwise', async () => {
    const { engine, tracker } = await joined();
    tracker().serverSends(assign(20, ['other']));
    tracker().serverSends(assign(21, ['other', 'me']));
    assert.equal(engine.session.seeds('demo/180p', 20), false, 'someone else fetches 20: this viewer waits for the swarm');
    assert.equal(engine.session.seeds('demo/180p', 21), true);
    assert.equal(engine.session.seeds('demo/180p', 22), false, 'unassigned, still joining: not the oldest of nobody');
    tracker().serverSends({ v: 1, type: 'peers', swarm: 'demo', rendition: '180p', peers: [] });
    assert.equal(engine.session.seeds('demo/180p', 22), true, 'the tracker answered nobody: alone, so the oldest');
    assert.equal(engine.session.seeds('demo/360p', 21), false, 'not the swarm it plays');
    tracker().serverSends(assign(22, ['other'], '360p'));
    assert.equal(engine.session.seeds('demo/180p', 22), true, 'an assignment for another swarm changes nothing here');
    engine.destroy();
  });

  test('the last 32 assignments are kept (the highest sequences), a later one for the same segment replaces it', () => {
    const assignments = new Assignments();
    for (let sequence = 100; sequence < 100 + KEPT + 8; sequence++) assignments.record(sequence, ['other']);
    assignments.record(50, ['me']); // late and old: dropped at once
    assert.equal(assignments.names(100 + 7, 'other'), null, 'forgotten');
    assert.equal(assignments.names(100 + 8, 'other'), true);
    assert.equal(assignments.names(50, 'me'), null);
    assignments.record(120, ['me']);
    assert.equal(assignments.names(120, 'other'), false);
    assert.equal(assignments.names(120, 'me'), true);
    assert.equal(assignments.names(120, null), false, 'no peer id yet: not named');
    assert.deepEqual(assignments.assignedTo('me', 0), [120]);
    assignments.markStarted(120);
    assert.deepEqual(assignments.assignedTo('me', 0), [], 'started once, never again');
    assert.equal(assignments.names(120, 'me'), true, 'still this viewer\'s to seed');
  });

  test('named: fetched over HTTP once the playlist lists it, stored and announced, not handed over; the player finds it held', async () => {
    const { engine, clock, tracker, levelLoaded, fetched, trackerFrames } = await joined();
    tracker().serverSends(assign(13, ['me']));
    await clock.advance(10);
    assert.deepEqual(segmentsFetched(fetched), [], 'not listed yet');
    levelLoaded(0, '180p', { first: 10, last: 13 });
    await clock.advance(10);
    assert.deepEqual(segmentsFetched(fetched), [segmentUrl('180p', 13)]);
    assert.ok(engine.store.has('demo/180p', 13), 'stored');
    assert.equal(trackerFrames().filter((f) => f.type === 'have').at(-1)?.newest, 13, 'announced');
    assert.deepEqual(engine.getStats().delivered, { http: 0, p2p: 0, seeder: 0 }, 'not handed to the player');
    assert.equal(engine.getStats().downloaded.http, 1000);

    const got = [];
    const loader = new engine.Loader({});
    loader.load({
      type: 'media-fragment', url: segmentUrl('180p', 13),
      frag: { type: 'main', sn: 13, level: 0, baseurl: playlist('180p'), relurl: 'seg_13.m4s', start: 26, duration: 2 },
    }, {}, { onSuccess: (r) => got.push(r.data.byteLength), onError: (e) => got.push(e) });
    await clock.advance(10);
    assert.deepEqual(got, [1000]);
    assert.deepEqual(segmentsFetched(fetched), [segmentUrl('180p', 13)], 'no second fetch');
    assert.deepEqual(engine.getStats().delivered, { http: 1000, p2p: 0, seeder: 0 });
    engine.destroy();
  });

  test('at most 2 assigned fetches at once; one below the playlist\'s first segment is dropped; a failed one is not retried', async () => {
    const answers = [];
    const { engine, clock, tracker, levelLoaded, fetched } = await joined({
      segments: (url) => new Promise((resolve) => answers.push({ url, resolve })),
    });
    levelLoaded(0, '180p', { first: 10, last: 14 });
    for (const sequence of [9, 11, 12, 13]) tracker().serverSends(assign(sequence, ['me']));
    tracker().serverSends(assign(14, ['other']));
    await clock.advance(10);
    assert.deepEqual(segmentsFetched(fetched), [segmentUrl('180p', 11), segmentUrl('180p', 12)]);
    answers.shift().resolve(new Response('gone', { status: 404 }));
    await clock.advance(10);
    assert.deepEqual(segmentsFetched(fetched).slice(2), [segmentUrl('180p', 13)], 'the next one, once a slot is free');
    for (const answer of answers.splice(0)) answer.resolve(new Response(new Uint8Array(1000)));
    await clock.advance(10);
    levelLoaded(0, '180p', { first: 10, last: 14 });
    await clock.advance(10);
    assert.deepEqual(segmentsFetched(fetched), [11, 12, 13].map((sequence) => segmentUrl('180p', sequence)),
      'never 9 (below the window), 14 (someone else\'s), nor 11 again after its 404');
    assert.ok(engine.store.has('demo/180p', 12) && engine.store.has('demo/180p', 13));
    engine.destroy();
  });

  test('named while the player\'s own job waits for the swarm: that job fetches at once', async () => {
    const { engine, clock, tracker, levelLoaded, fetched } = await joined();
    levelLoaded(0, '180p', { first: 10, last: 13 });
    engine.followPlayhead({ readyState: 4, currentTime: 0, playbackRate: 1, buffered: { length: 1, start: () => 0, end: () => 40 } });
    tracker().serverSends(assign(13, ['other']));
    // Peers there, none holding 13: the player's job waits for the swarm.
    engine.session.active.pool.peers.set('p', { id: 'p', initiator: true, link: { ready: true, holds: () => null, requestSlots: 1, remote: { flags: 0 }, sendHave() {}, close() {} },
      session: { close() {} } });
    engine.integrity.usable = () => true;
    const { promise } = engine.load(ref('180p', 13), 26_000, () => {});
    await clock.advance(1000);
    assert.deepEqual(segmentsFetched(fetched), [], 'waiting for the swarm');
    tracker().serverSends(assign(13, ['me']));
    await clock.advance(10);
    assert.deepEqual(segmentsFetched(fetched), [segmentUrl('180p', 13)]);
    assert.equal((await promise).httpBytes, 1000);
    engine.session.active.pool.peers.clear();
    engine.destroy();
  });
});
