// Segments between Chromium pages through a TURN relay only (docs/ARCHITECTURE.md, "TURN at the
// gateway"): launcher's PlayerTurnRelayTest starts a demo whose coturn relay /route hands out, and
// runs this with its URLs; by hand, with ./cdn demo running and its banner saying TURN is on:
//   node test/e2e/relay.mjs --page http://127.0.0.1:8081/player/ --route http://127.0.0.1:8090/route
//
// Two new users' tabs of the demo page with `route=` and `ice-transport-policy=relay`: each finds
// its edge, tracker and ICE servers (the relay, with credentials minted for it) through /route. Each
// must play, every candidate it gathers must be a relay candidate and every pair its transports
// select must start at one, and segment bytes must move from page to page over a pair with relay
// candidates at both ends. Then both play SHARE_S more, and the report gives each page's P2P share
// and bytes and the bytes each selected pair carried. Exits 1 if any check failed.
import { parseArgs } from 'node:util';
import { E2eRun, echoErrors, launchChromium, skipWithoutChromium, until } from './e2e-run.mjs';
import { connectionStates, recordConnections } from './ice-recorder.mjs';

const SHARE_S = 20;

const { values: args } = parseArgs({ options: { page: { type: 'string' }, route: { type: 'string' } } });
if (!args.page || !args.route) {
  console.error('usage: node test/e2e/relay.mjs --page EDGE/player/ --route TRACKER/route');
  process.exit(2);
}
skipWithoutChromium();

const run = new E2eRun(3 * 60_000);
const { check, report } = run;
const browser = await launchChromium();

/** A new user's tab, relay-only. */
async function open(name) {
  const context = await browser.newContext();
  await context.addInitScript(recordConnections);
  const page = await context.newPage();
  echoErrors(page, name);
  await page.goto(`${args.page}?src=${encodeURIComponent('/live/demo/master.m3u8')}&route=${encodeURIComponent(args.route)}`
    + '&ice-transport-policy=relay');
  return { name, page };
}

const stats = (tab) => tab.page.evaluate(() => document.querySelector('p2p-player')?.getStats());
const connections = (tab) => tab.page.evaluate(connectionStates);
/** A connection between two relay-only viewers: relay candidates at both ends of its selected pair. */
const relayed = (c) => c.selected?.localType === 'relay' && c.selected?.remoteType === 'relay';

try {
  const tabs = [await open('tab1'), await open('tab2')];
  for (const tab of tabs) {
    const first = await until(async () => (await stats(tab))?.player.firstFrameMs, 30_000);
    check(first !== null, `${tab.name}: first frame within 30 s`);
  }
  const shared = await until(async () => {
    const all = await Promise.all(tabs.map(async (tab) => ({ stats: await stats(tab), connections: await connections(tab) })));
    const p2p = all.reduce((sum, t) => sum + (t.stats?.delivered.p2p ?? 0), 0);
    return p2p > 0 && all.some((t) => t.connections.some((c) => relayed(c) && c.selected.bytesReceived > 0)) ? all : null;
  }, 60_000, 500);
  check(shared !== null, 'segment bytes went from page to page over a relay-to-relay pair within 60 s');
  await until(() => false, SHARE_S * 1000, 1000);

  report.tabs = [];
  for (const tab of tabs) {
    const s = await stats(tab);
    const states = await connections(tab);
    const gathered = states.flatMap((c) => c.local);
    check(states.length > 0 && states.every((c) => c.iceTransportPolicy === 'relay'), `${tab.name}: every peer connection is relay-only`);
    check(gathered.length > 0 && gathered.every((line) => / typ relay( |$)/.test(line)),
      `${tab.name}: gathered ${gathered.length} candidates, all relay (${gathered.filter((l) => !/ typ relay( |$)/.test(l)).join('; ')})`);
    check(states.every((c) => !c.selected || c.selected.localType === 'relay'), `${tab.name}: every selected pair starts at a relay candidate`);
    check(s.integrityFailures === 0, `${tab.name}: no integrity failure`);
    report.tabs.push({
      name: tab.name, p2pShare: Number(s.p2pShare.toFixed(3)), delivered: s.delivered, uploaded: s.uploaded, seeders: s.seeders,
      peers: s.peers, stalls: s.player.stalls, pairs: states.filter((c) => c.selected).map((c) => ({
        local: c.selected.local, remote: c.selected.remote, bytesSent: c.selected.bytesSent, bytesReceived: c.selected.bytesReceived })),
    });
  }
  const p2p = report.tabs.reduce((sum, t) => sum + t.delivered.p2p, 0);
  const all = report.tabs.reduce((sum, t) => sum + t.delivered.http + t.delivered.p2p + t.delivered.seeder, 0);
  report.p2pBytes = p2p;
  report.p2pShareOfBoth = all > 0 ? Number((p2p / all).toFixed(3)) : 0;
} catch (e) {
  run.error(e);
} finally {
  await browser.close();
}
run.finish();
