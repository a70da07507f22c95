// The web player over TLS, in real headless Chromium against a `./cdn demo --tls` stack: launcher's
// PlayerTlsTest starts it in process and runs this with its URLs and the hash of its certificate's
// public key, which Chromium accepts for this certificate alone (--ignore-certificate-errors-spki-list,
// this test's only exception to certificate checks); by hand: ./cdn demo --tls, then
//   node test/e2e/tls.mjs --edge https://127.0.0.1:8081 --tracker wss://127.0.0.1:8090/ws --spki HASH
// (the demo prints HASH beside its CA).
//
// Two viewers of the demo page, served by the edge over HTTPS: one joins the tracker at its wss://
// URL, the other finds edge and tracker through the tracker's https:// /route. Both play, connect to
// the tracker and to each other, and the swarm moves segment bytes; no request of either page goes
// out as http:// or ws:// (a page served over HTTPS could not make it: mixed content). Each step is
// awaited on a condition with a bound. Prints a report (E2E-REPORT) and exits 1 if a check failed.
import { parseArgs } from 'node:util';
import { E2eRun, echoErrors, launchChromium, skipWithoutChromium, until } from './e2e-run.mjs';


const { values: args } = parseArgs({ options: { edge: { type: 'string' }, tracker: { type: 'string' }, spki: { type: 'string' } } });
if (!args.edge?.startsWith('https://') || !args.tracker?.startsWith('wss://') || !args.spki) {
  console.error('usage: node test/e2e/tls.mjs --edge https://127.0.0.1:8081 --tracker wss://127.0.0.1:8090/ws --spki BASE64-SHA256');
  process.exit(2);
}
skipWithoutChromium();
const EDGE = args.edge.replace(/\/$/, '');
const TRACKER = args.tracker;
const ROUTE = TRACKER.replace(/^wss:/, 'https:').replace(/\/ws$/, '/route');
const SRC = '/live/demo/master.m3u8';

const run = new E2eRun(2 * 60_000);
const { check, report } = run;
const browser = await launchChromium([`--ignore-certificate-errors-spki-list=${args.spki}`]);

/** A viewer of the demo page in a context of its own; every URL its page asks for is recorded. */
async function open(name, query) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const insecure = [];
  page.on('request', (r) => {
    if (/^(http|ws):/.test(r.url())) insecure.push(r.url());
  });
  page.on('websocket', (ws) => {
    if (!ws.url().startsWith('wss://')) insecure.push(ws.url());
  });
  echoErrors(page, name);
  const url = `${EDGE}/player/?src=${encodeURIComponent(SRC)}&${query}`;
  const response = await page.goto(url);
  check(response?.status() === 200, `${name}: the page loads over HTTPS (${response?.status()} ${url})`);
  return { name, page, context, insecure };
}

const stats = (viewer) => viewer.page.evaluate(() => document.querySelector('p2p-player')?.getStats());

try {
  const direct = await open('tracker-wss', `tracker=${encodeURIComponent(TRACKER)}`);
  const routed = await open('route-https', `route=${encodeURIComponent(ROUTE)}`);
  const viewers = [direct, routed];
  for (const viewer of viewers) {
    const first = await until(async () => (await stats(viewer))?.player.firstFrameMs, 30_000);
    check(first !== null, `${viewer.name}: first frame within 30 s (${first && Math.round(first)} ms)`);
  }
  const joined = await until(async () => (await Promise.all(viewers.map(stats))).every((s) => s.tracker === 'open' && s.peers > 0), 20_000);
  check(joined !== null, 'both viewers hold their wss:// tracker connection and a peer');
  const swarmed = await until(async () => {
    const all = await Promise.all(viewers.map(stats));
    return all.some((s) => s.delivered.p2p > 0) && all;
  }, 30_000, 500);
  check(swarmed !== null, 'segment bytes moved between the viewers');
  const last = await Promise.all(viewers.map(stats));
  report.viewers = viewers.map((v, i) => ({ name: v.name, tracker: last[i].tracker, peers: last[i].peers,
    delivered: last[i].delivered, p2pShare: +last[i].p2pShare.toFixed(3), insecureRequests: v.insecure.length }));
  for (const viewer of viewers) {
    check(viewer.insecure.length === 0, `${viewer.name}: every request was https:// or wss:// (${viewer.insecure.slice(0, 3).join(' ') || 'none other'})`);
  }
  await Promise.all(viewers.map((v) => v.context.close()));
} catch (e) {
  run.error(e);
} finally {
  await browser.close();
}
run.finish();
