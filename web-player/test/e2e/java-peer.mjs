// The browser half of peer's BrowserInteropTest (system-tests/src/test/java/dev/swarmcdn/peer/engine/):
// one <p2p-player> in headless Chromium, Chromium's defaults kept (host candidates hidden behind
// mDNS .local names), finding its edge, tracker and ICE servers through the tracker's /route as a
// deployed page does. The Java test starts and stops Java peers around it and decides.
//
//   node test/e2e/java-peer.mjs --route http://127.0.0.1:8090/route --player http://127.0.0.1:8081/player/player.js
//
// Prints `INTEROP-STATE {json}` every 500 ms: the player's getStats(), and per RTCPeerConnection
// its ICE servers, the candidates it gathered and received (trickled or in the remote SDP), and
// the candidate pair its transport selected (from getStats()). Runs until its standard input
// closes (then closes Chromium and exits 0), or exits 1 after --bound seconds.
import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { connectionStates, recordConnections } from './ice-recorder.mjs';

const CHROMIUM = '/usr/bin/chromium';
const { values: args } = parseArgs({
  options: { route: { type: 'string' }, player: { type: 'string' }, bound: { type: 'string', default: '180' } },
});
if (!args.route || !args.player) {
  console.error('usage: node test/e2e/java-peer.mjs --route URL --player URL_OF_PLAYER_JS [--bound SECONDS]');
  process.exit(2);
}
if (!existsSync(CHROMIUM)) {
  console.log(`INTEROP-SKIP no ${CHROMIUM} (scripts/install-deps installs it)`);
  process.exit(0);
}
const bound = setTimeout(() => {
  console.log(`INTEROP-FAIL still running after ${args.bound} s`);
  process.exit(1);
}, Number(args.bound) * 1000);

// The page is served from 127.0.0.1, a secure context (WebCrypto checks the segments from peers).
const PAGE = `<!doctype html><meta charset="utf-8"><title>java interop</title>
<script src="${args.player}"></script>
<p2p-player log-level="info" muted autoplay style="width:320px"></p2p-player>
<script>
  const player = document.querySelector('p2p-player');
  // The Java viewers play the first variant (360p): keep hls.js's automatic choice off 180p, so
  // both stay in one swarm.
  player.hlsConfig = { minAutoBitrate: 450000 };
  player.setAttribute('route', '${args.route}');
  player.setAttribute('src', '/live/demo/master.m3u8');
</script>`;
const server = createServer((request, response) => {
  response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
  response.end(PAGE);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

/** Runs in the page before its scripts: what the tracker says, for the log. */
function logTrackerMessages() {
  const NativeSocket = window.WebSocket;
  window.WebSocket = class extends NativeSocket {
    constructor(...a) {
      super(...a);
      this.addEventListener('message', (e) => {
        let type = null;
        try { type = JSON.parse(e.data).type; } catch { /* not ours */ }
        if (type === 'peers' || type === 'error') console.log(`tracker: ${String(e.data).slice(0, 300)}`);
      });
    }
  };
}

/** The player's statistics and every connection's ICE. */
async function snapshot(page) {
  const stats = await page.evaluate(() => document.querySelector('p2p-player')?.getStats?.() ?? null);
  return { stats, connections: await page.evaluate(connectionStates) };
}

const { chromium } = await import('playwright-core');
// No WebRTC flags: Chromium's default mDNS candidates are the point.
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--autoplay-policy=no-user-gesture-required',
    '--disable-background-timer-throttling', '--disable-renderer-backgrounding', '--disable-backgrounding-occluded-windows'],
});
const context = await browser.newContext();
await context.addInitScript(recordConnections);
await context.addInitScript(logTrackerMessages);
const page = await context.newPage();
page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
page.on('console', (m) => {
  if (m.type() !== 'debug') console.log(`console ${m.type()}: ${m.text()}`);
});
page.on('response', (r) => {
  if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) console.log(`HTTP ${r.status()} ${r.url()}`);
});
await page.goto(`http://127.0.0.1:${server.address().port}/`);
console.log('INTEROP-STARTED');

let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  clearTimeout(bound);
  await browser.close().catch(() => {});
  server.close();
  process.exit(code);
}
process.stdin.on('end', () => stop(0));
process.stdin.resume();
let snapshots = 0;
for (;;) {
  if (stopping) break;
  try {
    const state = await snapshot(page);
    console.log(`INTEROP-STATE ${JSON.stringify(state)}`);
    if (++snapshots % 10 === 0) {
      const { delivered, uploaded, peers, tracker, swarm, integrityFailures } = state.stats ?? {};
      console.log(`player: ${JSON.stringify({ delivered, uploaded, peers, tracker, swarm, integrityFailures })} `
        + `connections: ${JSON.stringify(state.connections.map((c) => [c.state, c.selected]))}`);
    }
  } catch (e) {
    if (!stopping) console.log(`snapshot failed: ${e.message}`);
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
}
