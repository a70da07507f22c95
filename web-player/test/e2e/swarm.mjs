// End to end in real headless Chromium against a running stack (origin with a live stream, an
// edge, a tracker): launcher's PlayerSwarmTest starts the demo in process and runs this with its
// URLs; by hand: ./cdn demo, then
//   node test/e2e/swarm.mjs --edge http://127.0.0.1:8081 --tracker ws://127.0.0.1:8090/ws
//
// Phases, each awaited on conditions with bounds (the only fixed waits are the playing times
// measured):
//   1. startup with P2P off, then with P2P on (the README's embedding example, verbatim), alone;
//   2. swarm: two more viewers join the README page; all three play 30 s, steadily; the later two
//      get most of their segment bytes from peers (the demo page, checked to show them); then the
//      README's second example (an existing hls.js setup, verbatim) joins them, plays and logs
//      bytes from peers;
//   ABR: a viewer with 2 Mbit/s HTTP among fast peers: hls.js's estimate stays with HTTP's pace;
//   3. tampered bytes: a peer corrupts what it serves; its victim never hands a bad segment to
//      hls.js (checked against the manifest by the page itself), keeps playing, counts the failure;
//   4. vanishing peer: a slow uploader's page closes while a viewer downloads from it; the segment
//      it had started reaches hls.js with its bytes from the peer and the rest over HTTP, with no
//      stall;
//   5. startup again, in a warm browser: P2P on (joining a peer) through the tracker's /route,
//      then five with P2P on and five off, alternately, and their medians (reported, not asserted).
// Prints a report (E2E-REPORT lines, JSON) and exits 1 if any check failed.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { E2eRun, echoErrors, launchChromium, skipWithoutChromium, until } from './e2e-run.mjs';

const PLAY_SECONDS = 30;
const MAX_STALL_MS = 1000;
/** Warm startups with P2P on and with it off, each. */
const WARM_ROUNDS = 5;
/** Issue 17: the median warm startup with P2P on at most this much above the one off (reported, not asserted). */
const STARTUP_TARGET_MS = 50;

const { values: args } = parseArgs({ options: { edge: { type: 'string' }, tracker: { type: 'string' } } });
if (!args.edge || !args.tracker) {
  console.error('usage: node test/e2e/swarm.mjs --edge http://127.0.0.1:8081 --tracker ws://127.0.0.1:8090/ws');
  process.exit(2);
}
skipWithoutChromium();
const EDGE = args.edge.replace(/\/$/, '');
const TRACKER = args.tracker;
const ROUTE = TRACKER.replace(/^ws/, 'http').replace(/\/ws$/, '/route');
const SRC = `${EDGE}/live/demo/master.m3u8`;

const run = new E2eRun(6 * 60_000);
const { check, report } = run;

// ---------------------------------------------------------------------------------- test pages

/**
 * An html example of the README, found by the comment marking it, with the demo's default URLs
 * replaced by this stack's.
 *
 * @param {string} marker  `embed-example` (the element) or `hlsjs-example` (an existing hls.js setup)
 */
function readmeExample(marker) {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const block = new RegExp(`<!-- ${marker} -->\\s*\`\`\`html\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (!block) throw new Error(`README.md has no <!-- ${marker} --> html block`);
  return block[1].replaceAll('http://127.0.0.1:8081', EDGE).replaceAll('ws://127.0.0.1:8090/ws', TRACKER);
}

/**
 * A page of another origin with the element, configured from its URL hash: attributes, and test
 * hooks (corrupt: serve flipped bytes; verify: check every segment hls.js gets against the
 * manifest, independently of the engine).
 */
const TEST_PAGE = `<!doctype html><meta charset="utf-8"><title>e2e</title>
<script src="${EDGE}/player/player.js"></script>
<p2p-player controls muted autoplay style="width:320px"></p2p-player>
<script>
  const config = JSON.parse(decodeURIComponent(location.hash.slice(1)));
  const player = document.querySelector('p2p-player');
  // log: what hls.js got, by source, and when
  const deliveries = window.deliveries = { checked: 0, bad: 0, unverified: 0, log: [] };
  const sums = new Map();
  async function expected(swarm, sequence) {
    const key = swarm + '#' + sequence;
    if (!sums.has(key)) {
      const rendition = swarm.split('/').pop();
      const manifest = await (await fetch('${EDGE}/live/demo/' + rendition + '/index.integrity.json', { cache: 'no-store' })).json();
      manifest.segments.forEach((e, i) => sums.set(swarm + '#' + (manifest.mediaSequence + i), e.sha256));
    }
    return sums.get(key);
  }
  const hex = (buffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
  player[Symbol.for('swarmcdn.testHooks')] = {
    corruptUpload: config.corrupt ? (sequence, payload) => { payload[0] ^= 0xff; return payload; } : undefined,
    delivered: (info, data) => {
      deliveries.log.push({ sequence: info.sequence, httpBytes: info.httpBytes, p2pBytes: info.p2pBytes, seederBytes: info.seederBytes, at: performance.now() });
      if (!config.verify) return;
      const copy = data.slice(0); // hls.js detaches the original when it hands it to its worker
      Promise.all([crypto.subtle.digest('SHA-256', copy), expected(info.swarm, info.sequence)]).then(([sum, want]) => {
        if (!want) deliveries.unverified++;
        else if (hex(sum) === want) deliveries.checked++;
        else deliveries.bad++;
      });
    },
  };
  if (config.hlsConfig) player.hlsConfig = config.hlsConfig;
  for (const [name, value] of Object.entries(config.attributes)) if (value !== null) player.setAttribute(name, value);
  player.setAttribute('src', '${SRC}');
</script>`;

const PAGE_BODIES = new Map([['/embed.html', () => readmeExample('embed-example')],
  ['/hlsjs.html', () => readmeExample('hlsjs-example')], ['/test.html', () => TEST_PAGE]]);
const server = createServer((request, response) => {
  const body = PAGE_BODIES.get(new URL(request.url, 'http://pages').pathname)?.();
  response.writeHead(body ? 200 : 404, { 'Content-Type': 'text/html; charset=utf-8' });
  response.end(body ?? 'not found');
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const PAGES = `http://127.0.0.1:${server.address().port}`;

// ---------------------------------------------------------------------------------- browser

/** Watches the <p2p-player>'s video from inside the page: progress and the longest stall. */
function playbackMonitor() {
  const state = window.playback = { startedAt: null, startTime: 0, lastTime: 0, lastAdvanceAt: 0, longestStallMs: 0, advanced: 0 };
  state.restart = () => {
    state.startedAt = performance.now();
    state.lastAdvanceAt = state.startedAt;
    state.startTime = state.lastTime;
    state.longestStallMs = 0;
    state.advanced = 0;
  };
  setInterval(() => {
    const video = document.querySelector('p2p-player')?.video ?? document.querySelector('video');
    if (!video || video.currentTime === 0) return;
    const now = performance.now();
    if (state.startedAt === null) {
      state.lastTime = video.currentTime;
      state.restart();
      return;
    }
    if (video.currentTime > state.lastTime) {
      state.lastAdvanceAt = now;
      state.lastTime = video.currentTime;
      state.advanced = state.lastTime - state.startTime;
    } else if (!video.paused) {
      state.longestStallMs = Math.max(state.longestStallMs, now - state.lastAdvanceAt);
    }
  }, 50);
}

const browser = await launchChromium();

/** A viewer: its own browser context (own cache, own peer), the monitor installed. */
async function open(name, url, { httpBytesPerSecond } = {}) {
  const context = await browser.newContext();
  await context.addInitScript(playbackMonitor);
  const page = await context.newPage();
  if (httpBytesPerSecond) {
    // Slows the page's HTTP (fetch, XHR), not its WebRTC data channels.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false, latency: 20, downloadThroughput: httpBytesPerSecond, uploadThroughput: -1,
    });
  }
  echoErrors(page, name);
  const logged = [];
  page.on('console', (m) => {
    if (m.type() === 'log') logged.push(m.text());
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) console.log(`[${name}] HTTP ${r.status()} ${r.url()}`);
  });
  await page.goto(url);
  return { name, page, context, logged, close: () => context.close() };
}

const testPage = (name, attributes, hooks = {}, network = {}) =>
  open(name, `${PAGES}/test.html#${encodeURIComponent(JSON.stringify({ attributes: { tracker: TRACKER, ...attributes }, ...hooks }))}`, network);
const stats = (viewer) => viewer.page.evaluate(() => document.querySelector('p2p-player')?.getStats());
const playback = (viewer) => viewer.page.evaluate(() => ({ ...window.playback }));


/** The median of numbers (the mean of the middle two of an even count); null for none. */
function median(values) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : Math.round((sorted[middle - 1] + sorted[middle]) / 2);
}

/** Waits for the first frame; returns its startup figures. */
async function firstFrame(viewer) {
  const player = await until(async () => (await stats(viewer))?.player.firstFrameMs && (await stats(viewer)).player, 30_000);
  check(player !== null, `${viewer.name}: first frame within 30 s`);
  return player && { startupMs: Math.round(player.startupMs), sinceNavigationMs: Math.round(player.firstFrameMs) };
}

/** Restarts every viewer's monitor, then waits until all played `seconds` (bounded). */
async function playTogether(viewers, seconds) {
  await Promise.all(viewers.map((v) => v.page.evaluate(() => window.playback.restart())));
  const before = await Promise.all(viewers.map(stats));
  const done = await until(async () => (await Promise.all(viewers.map(playback))).every((p) => p.advanced >= seconds),
    (seconds + 15) * 1000, 500);
  const after = await Promise.all(viewers.map(stats));
  const played = await Promise.all(viewers.map(playback));
  return viewers.map((v, i) => {
    // Bytes from edges, whichever transport: HTTP and the edge seeder's data channels.
    const http = after[i].delivered.http - before[i].delivered.http
      + (after[i].delivered.seeder ?? 0) - (before[i].delivered.seeder ?? 0);
    const p2p = after[i].delivered.p2p - before[i].delivered.p2p;
    return {
      name: v.name, done: done !== null, advancedSeconds: +played[i].advanced.toFixed(1),
      longestStallMs: Math.round(played[i].longestStallMs),
      stalls: after[i].player.stalls, windowShare: http + p2p > 0 ? +(p2p / (http + p2p)).toFixed(3) : 0,
      totalShare: +after[i].p2pShare.toFixed(3), peers: after[i].peers, uploaded: after[i].uploaded,
      delivered: after[i].delivered, fallbacks: after[i].fallbacks,
    };
  });
}

try {
  // 1. Startup, alone in the swarm: P2P off, then P2P on (the README example).
  const off = await testPage('p2p-off', { p2p: 'off' });
  report.startupP2pOff = await firstFrame(off);
  await off.close();
  const first = await open('readme-example', `${PAGES}/embed.html`);
  report.startupP2pOnAlone = await firstFrame(first);

  // 2. Two more viewers (the demo page) join; all three play together.
  const demoUrl = `${EDGE}/player/?src=${encodeURIComponent('/live/demo/master.m3u8')}&tracker=${encodeURIComponent(TRACKER)}`;
  const second = await open('demo-page-2', demoUrl);
  report.startupP2pOnSecond = await firstFrame(second);
  const third = await open('demo-page-3', demoUrl);
  report.startupP2pOnThird = await firstFrame(third);
  const swarm = [first, second, third];
  // Viewers only: each edge of the demo also seeds its viewers' swarm.
  const peered = await until(async () => (await Promise.all(swarm.map(stats))).every((s) => s.peers === 2), 20_000);
  check(peered !== null, 'swarm: the three viewers connect to each other');
  report.swarm = await playTogether(swarm, PLAY_SECONDS);
  for (const viewer of report.swarm) {
    check(viewer.done, `swarm: ${viewer.name} played ${PLAY_SECONDS} s (${viewer.advancedSeconds} s)`);
    check(viewer.longestStallMs < MAX_STALL_MS, `swarm: ${viewer.name} never stalled ${MAX_STALL_MS} ms (longest ${viewer.longestStallMs} ms)`);
  }
  for (const viewer of report.swarm.slice(1)) {
    check(viewer.totalShare > 0.5, `swarm: ${viewer.name} got most segment bytes over P2P (${Math.round(viewer.totalShare * 100)} %, ${Math.round(viewer.windowShare * 100)} % while all played)`);
  }
  const shown = await third.page.evaluate(() => document.querySelector('#p2p b')?.textContent);
  check(typeof shown === 'string' && /[1-9]/.test(shown), `demo page shows P2P bytes (${shown})`);
  // The whole audience, from the tracker: the three viewers report every 5 s, the page asks every 5 s.
  const fleetViewers = () => third.page.evaluate(() => [...document.querySelectorAll('#fleet tbody tr')]
    .filter((row) => row.cells[0].textContent.startsWith('demo '))
    .reduce((sum, row) => sum + Number(row.cells[1].textContent), 0));
  const fleetShown = await until(async () => (await fleetViewers()) >= 3, 20_000, 500);
  report.fleetViewersShown = await fleetViewers();
  check(fleetShown !== null, `demo page shows the tracker's figures of all viewers (${report.fleetViewersShown} viewers of demo)`);

  // The README's hls.js example joins the three: it plays, and its own stats line shows peers' bytes.
  const hlsjs = await open('readme-hlsjs-example', `${PAGES}/hlsjs.html`);
  const engineStats = () => hlsjs.page.evaluate(() => engine.getStats()); // the example's global
  const playing = await until(async () => (await playback(hlsjs)).advanced >= 4, 30_000, 500);
  check(playing !== null, 'hls.js example: plays (4 s within 30 s)');
  const fromPeersLine = /^([1-9]\d*) % from peers, [1-9]\d* peers$/;
  const line = await until(async () => hlsjs.logged.findLast((text) => fromPeersLine.test(text)), 30_000, 500);
  const hlsjsStats = await engineStats();
  report.hlsjsExample = { p2pShare: +hlsjsStats.p2pShare.toFixed(3), peers: hlsjsStats.peers, delivered: hlsjsStats.delivered,
    segments: hlsjsStats.segments, longestStallMs: Math.round((await playback(hlsjs)).longestStallMs), line };
  check(line !== null, `hls.js example: its stats event shows bytes from peers (${hlsjs.logged.slice(-1)[0] ?? 'nothing logged'})`);
  check(hlsjsStats.delivered.p2p > 0 && hlsjsStats.peers > 0, `hls.js example: engine.getStats() counts bytes from peers (${JSON.stringify(hlsjsStats.delivered)})`);
  await hlsjs.close();

  // ABR: a viewer whose HTTP runs at 2 Mbit/s joins the swarm, whose peers deliver far faster.
  // hls.js's bandwidth estimate must stay with HTTP's pace while most segments come from peers.
  const slowHttp = await testPage('http-2mbps', {}, {}, { httpBytesPerSecond: 2e6 / 8 });
  await firstFrame(slowHttp);
  const fromPeers = await until(async () => {
    const s = await stats(slowHttp);
    return s.segments.p2p >= 8 && s;
  }, 40_000, 500);
  const abr = await stats(slowHttp);
  const estimate = await slowHttp.page.evaluate(() => document.querySelector('p2p-player').hls.bandwidthEstimate);
  report.abr = { httpLimit: 2e6, bandwidthEstimate: Math.round(estimate), level: abr.player.level, segments: abr.segments,
    p2pShare: +abr.p2pShare.toFixed(3), stalls: abr.player.stalls };
  check(fromPeers !== null, `abr: the viewer with slow HTTP got segments from peers (${JSON.stringify(abr.segments)})`);
  check(estimate > 0 && estimate < 3e6, `abr: hls.js's bandwidth estimate stays with HTTP (${Math.round(estimate / 1000)} kbit/s for HTTP at 2000)`);
  check(abr.player.level === '360p', `abr: hls.js still chose the rendition HTTP sustains (${abr.player.level})`);
  await Promise.all([...swarm, slowHttp].map((v) => v.close()));

  // 3. A peer serving tampered bytes.
  const liar = await testPage('liar', { 'seed-share': '1' }, { corrupt: true });
  const victim = await testPage('victim', { 'seed-share': '0' }, { verify: true });
  await firstFrame(victim);
  await victim.page.evaluate(() => window.playback.restart());
  const caught = await until(async () => (await stats(victim)).integrityFailures > 0, 45_000);
  check(caught !== null, 'tamper: the victim detected a segment that failed its integrity check');
  const afterCatch = await playTogether([victim], 8);
  const { log: _, ...deliveries } = await victim.page.evaluate(() => window.deliveries);
  const victimStats = await stats(victim);
  report.tamper = { ...afterCatch[0], deliveries, integrityFailures: victimStats.integrityFailures };
  check(deliveries.bad === 0 && deliveries.checked > 0, `tamper: no bad segment reached hls.js (${deliveries.checked} checked, ${deliveries.bad} bad)`);
  check(afterCatch[0].done && afterCatch[0].longestStallMs < MAX_STALL_MS, `tamper: playback went on (longest stall ${afterCatch[0].longestStallMs} ms)`);
  check(victimStats.peers === 0, 'tamper: the victim dropped the liar');
  await Promise.all([liar.close(), victim.close()]);

  // 4. A peer that vanishes mid-transfer: a slow uploader (about 1.5x the 360p bitrate).
  const slow = await testPage('slow-uploader', { 'seed-share': '1', 'max-upload-rate': '130000' });
  const watcher = await testPage('watcher', { 'seed-share': '0' });
  await firstFrame(watcher);
  // Mid-transfer: a transfer runs and bytes of it arrived (downloaded.p2p grew while it ran).
  const midTransfer = await until(async () => {
    const s = await stats(watcher);
    if (s.p2pInFlight === 0) return null;
    const grew = await until(async () => {
      const now = await stats(watcher);
      return now.p2pInFlight > 0 && now.downloaded.p2p > s.downloaded.p2p && now;
    }, 400, 25);
    return grew;
  }, 45_000, 25);
  check(midTransfer !== null, 'vanish: the watcher is receiving a segment from the slow peer');
  const before = await stats(watcher);
  const deliveredBefore = await watcher.page.evaluate(() => window.deliveries.log.length);
  await slow.close();
  await watcher.page.evaluate(() => window.playback.restart());
  const after = await playTogether([watcher], 8);
  const watcherStats = await stats(watcher);
  const fellBack = ['closed', 'stalled', 'late', 'slow'].reduce((n, k) => n + watcherStats.fallbacks[k] - before.fallbacks[k], 0);
  // The segment the peer had started: its bytes kept, the rest from the edge (over HTTP, or its
  // seeder's open channel as a rescue), handed to hls.js.
  const finishedOverHttp = await watcher.page.evaluate((from) =>
    window.deliveries.log.slice(from).find((d) => d.p2pBytes > 0 && (d.httpBytes > 0 || d.seederBytes > 0)) ?? null,
  deliveredBefore);
  report.vanish = { ...after[0], fellBack, finishedOverHttp, httpBytesAfter: watcherStats.delivered.http - before.delivered.http };
  check(fellBack >= 1, `vanish: the transfer from the vanished peer was given up (${JSON.stringify(watcherStats.fallbacks)})`);
  check(finishedOverHttp !== null, `vanish: the segment the peer had started reached hls.js, its rest from the edge (${JSON.stringify(finishedOverHttp)})`);
  check(after[0].done && after[0].longestStallMs < MAX_STALL_MS, `vanish: played on with no stall of ${MAX_STALL_MS} ms (longest ${after[0].longestStallMs} ms, ${after[0].stalls} stalls in all)`);
  check(watcherStats.player.stalls === before.player.stalls, `vanish: no stall after the peer vanished (${before.player.stalls} before, ${watcherStats.player.stalls} after)`);

  // 5. Startup in a warm browser, P2P on (joining the watcher, a peer with the live window) and
  //    off. First a viewer that finds its edge and tracker through the tracker's /route; then
  //    WARM_ROUNDS of each, alternately, every page in a fresh context as before (same cache
  //    state for both). The medians are reported, not asserted: a timed check on a shared machine
  //    would fail on its load, not on the player (docs/BENCHMARKS.md has the figures of runs).
  const warmRound = async (p2p, attributes) => {
    const viewer = await testPage(`p2p-${p2p}-warm${attributes.route ? '-routed' : ''}`, attributes);
    const figures = { p2p, routed: !!attributes.route, ...await firstFrame(viewer) };
    return { viewer, figures };
  };
  const routed = await warmRound('on', { tracker: null, route: ROUTE });
  const joined = await until(async () => (await stats(routed.viewer)).peers > 0, 15_000);
  check(joined !== null, `route: a viewer that asks ${ROUTE} for its edge and tracker plays and joins the swarm`);
  await routed.viewer.close();
  report.warmStartup = [routed.figures];
  for (let round = 0; round < 2 * WARM_ROUNDS; round++) {
    const [p2p, attributes] = round % 2 === 0 ? ['on', {}] : ['off', { p2p: 'off' }];
    const { viewer, figures } = await warmRound(p2p, attributes);
    report.warmStartup.push(figures);
    await viewer.close();
  }
  const medianOf = (p2p) => median(report.warmStartup.filter((r) => r.p2p === p2p && !r.routed && r.startupMs !== undefined)
    .map((r) => r.startupMs));
  const medians = { on: medianOf('on'), off: medianOf('off') };
  report.warmStartupMedians = { ...medians, differenceMs: medians.on - medians.off };
  console.log(`INFO warm startup, median of ${WARM_ROUNDS}: P2P on ${medians.on} ms, off ${medians.off} ms, `
    + `${report.warmStartupMedians.differenceMs} ms apart (target: on at most ${STARTUP_TARGET_MS} ms above off)`);
  await watcher.close();
} catch (e) {
  run.error(e);
} finally {
  await browser.close();
  server.close();
}
run.finish();
