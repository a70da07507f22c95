// Viewers who open the demo page at the same moment share with each other: launcher's
// DemoStartTogetherTest runs this against a freshly started demo, several times, with the CPU kept
// busy; by hand: ./cdn demo, then
//   node test/e2e/together.mjs --edge http://127.0.0.1:8081 --tracker ws://127.0.0.1:8090/ws
//
// Opens the printed player page in --viewers pages at once (default 2), as a new user with two tabs
// would: every other one finds its edge and tracker through /route instead of a tracker= URL. Each
// must show its first frame, join a peer, and move segment bytes to or from another viewer (an edge
// seeder's bytes do not count) within --share-seconds of its first frame. Prints when each did
// (E2E-REPORT) and, for a viewer that did not, its whole getStats(); exits 1 if any check failed.
import { parseArgs } from 'node:util';
import { E2eRun, echoErrors, launchChromium, skipWithoutChromium, until } from './e2e-run.mjs';

const { values: args } = parseArgs({
  options: {
    edge: { type: 'string' }, tracker: { type: 'string' },
    viewers: { type: 'string', default: '2' }, 'share-seconds': { type: 'string', default: '30' },
  },
});
if (!args.edge || !args.tracker) {
  console.error('usage: node test/e2e/together.mjs --edge http://127.0.0.1:8081 --tracker ws://127.0.0.1:8090/ws [--viewers 2] [--share-seconds 30]');
  process.exit(2);
}
skipWithoutChromium();
const EDGE = args.edge.replace(/\/$/, '');
const TRACKER = args.tracker;
const ROUTE = TRACKER.replace(/^ws/, 'http').replace(/\/ws$/, '/route');
const SHARE_MS = Number(args['share-seconds']) * 1000;
const FIRST_FRAME_MS = 30_000;

const run = new E2eRun(FIRST_FRAME_MS + SHARE_MS + 60_000);
const browser = await launchChromium();

/** A new user's tab: the demo's player page in a browser context of its own. */
async function open(index) {
  const name = index % 2 === 0 ? `tab${index + 1}-tracker` : `tab${index + 1}-route`;
  const query = index % 2 === 0 ? `tracker=${encodeURIComponent(TRACKER)}` : `route=${encodeURIComponent(ROUTE)}`;
  const context = await browser.newContext();
  const page = await context.newPage();
  echoErrors(page, name);
  await page.goto(`${EDGE}/player/?src=${encodeURIComponent('/live/demo/master.m3u8')}&${query}`);
  return { name, page, context, opened: Date.now() };
}

const stats = (viewer) => viewer.page.evaluate(() => document.querySelector('p2p-player')?.getStats());
const peerBytes = (s) => (s?.downloaded.p2p ?? 0) + (s?.uploaded ?? 0);

try {
  const viewers = await Promise.all(Array.from({ length: Number(args.viewers) }, (_, i) => open(i)));
  run.report.viewers = await Promise.all(viewers.map(async (viewer) => {
    const first = await until(async () => (await stats(viewer))?.player.firstFrameMs, FIRST_FRAME_MS);
    run.check(first !== null, `${viewer.name}: first frame within ${FIRST_FRAME_MS / 1000} s`);
    const framed = Date.now();
    const shared = await until(async () => peerBytes(await stats(viewer)) > 0, SHARE_MS, 500);
    const last = await stats(viewer);
    run.check(shared !== null, `${viewer.name}: moved segment bytes to or from another viewer within ${SHARE_MS / 1000} s of its first frame`
      + (shared === null ? ` (getStats: ${JSON.stringify(last)})` : ''));
    return {
      name: viewer.name, firstFrameMs: first && Math.round(first),
      firstPeerByteAfterFrameMs: shared === null ? null : Date.now() - framed,
      peers: last?.peers, seeders: last?.seeders, downloaded: last?.downloaded, uploaded: last?.uploaded,
    };
  }));
  await Promise.all(viewers.map((v) => v.context.close()));
} catch (e) {
  run.error(e);
} finally {
  await browser.close();
}
run.finish();
