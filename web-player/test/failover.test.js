// Failover in the browser engine, as the Java engine does it (docs/ARCHITECTURE.md, "Failover"):
// the edge dies, the engine asks /route again excluding it, and playlists (through hls.js's own
// loader) and segments (through the engine) go on from the next edge; several trackers in turn.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { P2PEngine } from '../src/hls/p2p-engine.js';
import { EDGE_HEADERS_TIMEOUT_MS, EdgeFailover, MIN_ASK_GAP_MS } from '../src/engine/edge-failover.js';
import { TrackerClient } from '../src/tracker/tracker-client.js';
import { createLogger } from '../src/util/log.js';
import { FakeClock } from './support/fake-clock.js';
import { fakeWebSocket } from './support/fake-socket.js';

const ROUTE = 'http://tracker.test/route';
const routeAnswer = (id) => ({ stream: 'demo', edge: `http://${id}.test:8081`, edgeId: id, fallback: false,
  tokens: { edge: `tok-${id}` } });
const PLAYLIST_PATH = '/live/demo/360p/index.m3u8';
const SEGMENT_PATH = '/live/demo/360p/seg_5.m4s';

/**
 * Edges that answer every request on the page's fetch, or fail as told; /route names the first edge
 * not excluded.
 *
 * @param {Record<string, 'up' | 'refused' | '503' | '404' | 'silent'>} states
 */
function edges(states) {
  const requested = [];
  const routeAsks = [];
  /** @type {typeof fetch} */
  const fetch = async (input, init) => {
    const url = String(input);
    if (url.startsWith(`${ROUTE}?`)) {
      const excluded = new URL(url).searchParams.get('exclude')?.split(',') ?? [];
      routeAsks.push(excluded);
      const id = Object.keys(states).find((edge) => !excluded.includes(edge)) ?? Object.keys(states)[0];
      return new Response(JSON.stringify(routeAnswer(id)));
    }
    requested.push(url);
    const id = new URL(url).hostname.replace('.test', '');
    switch (states[id]) {
      case 'refused': throw new TypeError('fetch failed');
      case '503': return new Response('down', { status: 503 });
      case '404': return new Response('no', { status: 404 });
      case 'silent': return new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
      default:
        if (url.endsWith('.m3u8')) return new Response('#EXTM3U\n');
        if (url.endsWith('.json')) return new Response('missing', { status: 404 });
        return new Response(new Uint8Array(1000), { status: 200, headers: { 'Content-Length': '1000' } });
    }
  };
  return { fetch, requested, routeAsks };
}

/**
 * hls.js's own loader, stood in for by one on the same fetch: it reports network errors as code 0
 * and refuses a second load on the same stats (`Loader can only be used once.`), as hls.js does.
 */
function loaderOn(fetch) {
  return class DefaultLoader {
    constructor() { this.stats = null; }
    load(context, _config, callbacks) {
      if (this.stats?.loading.start) throw new Error('Loader can only be used once.');
      if (this.stats) this.stats.loading.start = Date.now();
      fetch(context.url).then(async (response) => {
        if (response.ok) callbacks.onSuccess({ url: context.url, data: await response.text() }, this.stats, context, null);
        else callbacks.onError({ code: response.status, text: 'HTTP' }, context, null, this.stats);
      }, () => callbacks.onError({ code: 0, text: 'network error' }, context, null, this.stats));
    }
    abort() {}
    destroy() {}
  };
}

async function routedEngine(states) {
  const clock = new FakeClock();
  const site = edges(states);
  const { FakeSocket } = fakeWebSocket();
  const engine = new P2PEngine({ route: ROUTE, logLevel: 'silent' }, { clock, fetch: site.fetch, WebSocket: FakeSocket });
  engine.attach({ constructor: { DefaultConfig: { loader: loaderOn(site.fetch) } }, on() {}, off() {}, levels: [] });
  const master = await engine.resolve('/live/demo/master.m3u8');
  return { engine, clock, site, master };
}

/** Loads a playlist through the engine's loader as hls.js would. @returns {Promise<{ok: boolean, url?: string, code?: number}>} */
function loadPlaylist(engine, url) {
  return new Promise((resolve) => new engine.Loader({}).load({ type: 'level', url }, {}, {
    onSuccess: (response) => resolve({ ok: true, url: response.url }),
    onError: (error) => resolve({ ok: false, code: error.code }),
    onTimeout: () => resolve({ ok: false, code: -1 }),
  }));
}

describe('edge failover', () => {
  test('the edge dies mid-session: playlists and segments go on from the next edge, counted once', async () => {
    const states = { 'edge-a': 'up', 'edge-b': 'up' };
    const { engine, site, master } = await routedEngine(states);
    const onA = (path) => master.replace('/live/demo/master.m3u8', path);
    assert.equal(master, 'http://edge-a.test:8081/~t/tok-edge-a/live/demo/master.m3u8');
    assert.deepEqual(await loadPlaylist(engine, onA(PLAYLIST_PATH)), { ok: true, url: onA(PLAYLIST_PATH) });

    states['edge-a'] = 'refused';
    const loaded = await loadPlaylist(engine, onA(PLAYLIST_PATH));
    assert.deepEqual(loaded, { ok: true, url: onA(PLAYLIST_PATH) }, 'hls.js keeps the URL it asked for');
    assert.deepEqual(site.routeAsks, [[], ['edge-a']], 'the tracker is told which edge failed');
    assert.equal(site.requested.at(-1), `http://edge-b.test:8081/~t/tok-edge-b${PLAYLIST_PATH}`, 'with the new edge\'s token');

    // The engine's own segment fetches follow (hls.js still names edge-a).
    const response = await engine.route.fetch(onA(SEGMENT_PATH));
    assert.equal(response.status, 200);
    assert.equal(site.requested.at(-1), `http://edge-b.test:8081/~t/tok-edge-b${SEGMENT_PATH}`);
    assert.equal(engine.getStats().edgeFailovers, 1);
    assert.equal(site.routeAsks.length, 2, 'no more asks while edge-b serves');
    engine.destroy();
  });

  test('5xx and silence are failures of the edge; a 4xx is not', async () => {
    const states = { 'edge-a': '404', 'edge-b': 'up', 'edge-c': 'up' };
    const { engine, clock, site, master } = await routedEngine(states);
    assert.deepEqual(await loadPlaylist(engine, master), { ok: false, code: 404 });
    assert.equal(site.routeAsks.length, 1, 'a 404: no failover');

    states['edge-a'] = '503';
    assert.equal((await engine.route.fetch(master)).status, 200, 'a 503: tried again on edge-b');
    assert.equal(engine.getStats().edgeFailovers, 1);

    states['edge-b'] = 'silent';
    await clock.advance(MIN_ASK_GAP_MS);
    const answered = engine.route.fetch(master);
    await clock.advance(EDGE_HEADERS_TIMEOUT_MS);
    assert.equal((await answered).status, 200, 'no headers in time: tried again on edge-c');
    assert.deepEqual(site.routeAsks.at(-1), ['edge-a', 'edge-b']);
    assert.equal(engine.getStats().edgeFailovers, 2);
    engine.destroy();
  });

  test('with no other edge, a burst of failures makes one ask, no retries, and asks are spaced', async () => {
    const clock = new FakeClock();
    let asks = 0;
    const failover = new EdgeFailover({
      clock, log: createLogger('silent'), fetch: async () => { throw new TypeError('fetch failed'); },
      askRoute: async () => { asks++; return { edge: 'http://edge-a.test', edgeId: 'edge-a', base: 'http://edge-a.test' }; },
      switched: () => assert.fail('no other edge to switch to'),
    });
    failover.start(/** @type {any} */ ({ edge: 'http://edge-a.test', edgeId: 'edge-a', base: 'http://edge-a.test' }));
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => failover.fetch('http://edge-a.test/x')));
    assert.ok(results.every((r) => r.status === 'rejected'));
    assert.equal(asks, 1);
    await clock.advance(2 * MIN_ASK_GAP_MS - 1);
    await failover.fetch('http://edge-a.test/x').catch(() => {});
    assert.equal(asks, 1, 'the gap doubled after an ask that brought no other edge');
    await clock.advance(1);
    await failover.fetch('http://edge-a.test/x').catch(() => {});
    assert.equal(asks, 2);
  });
});

describe('tracker failover', () => {
  test('when its tracker dies the client moves to the next and joins its swarms there with its HAVE', async () => {
    const clock = new FakeClock();
    const { FakeSocket, sockets } = fakeWebSocket();
    const tracker = new TrackerClient({
      url: ['ws://one.test/ws', 'ws://two.test/ws'], clock, log: createLogger('silent'), WebSocket: FakeSocket, random: () => 0.5,
    });
    const moved = [];
    tracker.on('moved', (url) => moved.push(url));
    tracker.connect();
    sockets[0].serverSends({ v: 1, type: 'welcome', peerId: 'me', pingIntervalMs: 20_000 });
    tracker.join('demo', '360p', { edge: 'http://edge.test', uploadSlots: 4, have: null });
    tracker.have('demo', '360p', 41);
    sockets[0].serverCloses(1006);
    await clock.advance(2000);
    assert.equal(sockets[1].url, 'ws://two.test/ws');
    sockets[1].serverSends({ v: 1, type: 'welcome', peerId: 'me-2', pingIntervalMs: 20_000 });
    assert.deepEqual(sockets[1].sent.map((f) => [f.type, f.swarm, f.have]), [['join', 'demo', 41]]);
    assert.deepEqual(moved, ['ws://two.test/ws']);
    tracker.close();
  });
});
