// Edge failover in Chromium (docs/ARCHITECTURE.md, "Failover"): launcher's PlayerFailoverTest starts a
// demo with two edges and runs this with its URLs, stopping an edge when the script cues it:
//   node test/e2e/failover.mjs --page http://127.0.0.1:8080/player/ --route http://127.0.0.1:8090/route \
//     --edges http://127.0.0.1:8081,http://127.0.0.1:8082
// (by hand, answer the cue `stop-edge URL` by stopping that edge and typing a line).
//
// The demo page (served by the origin, so that it outlives either edge) plays the live stream with
// `route=`: the tracker names edge A. Once it has played through A for a while, the script cues the
// Java test to stop A, then checks that the page fails over (getStats().edgeFailovers >= 1), that
// its position goes on past the fault by PLAY_AFTER_S with stalls bounded, and that its requests go
// to the other edge from then on. Prints a report (E2E-REPORT) and exits 1 if any check failed.
import { parseArgs } from 'node:util';
import { E2eRun, cue, echoErrors, launchChromium, skipWithoutChromium, until } from './e2e-run.mjs';

const PLAY_BEFORE_S = 6;
const PLAY_AFTER_S = 12;
/** Stalled time the fault may cost: the failover itself is one refused request and one /route ask. */
const MAX_FAULT_STALL_MS = 3000;

const { values: args } = parseArgs({ options: { page: { type: 'string' }, route: { type: 'string' }, edges: { type: 'string' } } });
if (!args.page || !args.route || !args.edges) {
  console.error('usage: node test/e2e/failover.mjs --page ORIGIN/player/ --route TRACKER/route --edges EDGE_A,EDGE_B');
  process.exit(2);
}
skipWithoutChromium();
const EDGES = args.edges.split(',').map((url) => new URL(url).origin);

const run = new E2eRun(3 * 60_000);
const { check, report } = run;
const browser = await launchChromium();

/** Requests to the edges, in order: when, which edge, what. */
const requests = [];
const edgeOf = (url) => EDGES.find((edge) => url.startsWith(`${edge}/`)) ?? null;
const isSegment = (url) => /\.(m4s|ts)(\?|$)/.test(url);

try {
  const page = await browser.newPage();
  echoErrors(page, 'page');
  page.on('request', (r) => {
    const edge = edgeOf(r.url());
    if (edge) requests.push({ at: Date.now(), edge, url: r.url(), segment: isSegment(r.url()) });
  });
  await page.goto(`${args.page}?src=${encodeURIComponent('/live/demo/master.m3u8')}&route=${encodeURIComponent(args.route)}`
    + '&log-level=info');
  const stats = () => page.evaluate(() => document.querySelector('p2p-player')?.getStats());

  const first = await until(async () => (await stats())?.player.firstFrameMs, 30_000);
  check(first !== null, 'first frame within 30 s');
  const before = await until(async () => {
    const s = await stats();
    return s && s.player.currentTime >= PLAY_BEFORE_S && requests.some((r) => r.segment) ? s : null;
  }, 40_000);
  check(before !== null, `played ${PLAY_BEFORE_S} s through the routed edge`);
  const edgeA = requests.find((r) => r.segment)?.edge;
  const edgeB = EDGES.find((edge) => edge !== edgeA);
  report.routedEdge = edgeA;
  check(before !== null && before.edgeFailovers === 0, 'no failover before the fault');

  const answer = await cue(`stop-edge ${edgeA}`);
  const faultAt = Date.now();
  check(answer === 'stopped', `the test stopped ${edgeA} (answer: ${answer})`);
  const atFault = await stats();

  const moved = await until(async () => ((await stats())?.edgeFailovers ?? 0) >= 1 ? true : null, 30_000);
  check(moved !== null, 'getStats().edgeFailovers >= 1 within 30 s of the fault');
  const after = await until(async () => {
    const s = await stats();
    return s && s.player.currentTime >= atFault.player.currentTime + PLAY_AFTER_S ? s : null;
  }, (PLAY_AFTER_S + 30) * 1000);
  check(after !== null, `played ${PLAY_AFTER_S} s past the fault`);
  const last = after ?? await stats();

  const firstOnB = requests.find((r) => r.at >= faultAt && r.edge === edgeB);
  const toAAfterB = firstOnB ? requests.filter((r) => r.at > firstOnB.at && r.edge === edgeA) : [];
  const segmentsOnB = requests.filter((r) => r.at >= faultAt && r.edge === edgeB && r.segment);
  check(firstOnB !== undefined, `requests went to the other edge ${edgeB} after the fault`);
  check(toAAfterB.length === 0, `no request to the stopped edge once the page was on the other (${toAAfterB.map((r) => r.url).join(', ')})`);
  check(segmentsOnB.length >= 2, `segment requests to ${edgeB} after the fault: ${segmentsOnB.length}`);
  const faultStallMs = last.player.stalledMs - atFault.player.stalledMs;
  check(faultStallMs <= MAX_FAULT_STALL_MS, `stalled ${Math.round(faultStallMs)} ms from the fault on (at most ${MAX_FAULT_STALL_MS})`);
  check(last.integrityFailures === 0, 'no integrity failure');

  Object.assign(report, {
    otherEdge: edgeB,
    edgeFailovers: last.edgeFailovers,
    firstRequestToOtherEdgeAfterFaultMs: firstOnB ? firstOnB.at - faultAt : null,
    segmentRequestsToOtherEdge: segmentsOnB.length,
    positionAtFault: atFault.player.currentTime,
    positionAtEnd: last.player.currentTime,
    stallsFromFault: last.player.stalls - atFault.player.stalls,
    stalledMsFromFault: Math.round(faultStallMs),
    delivered: last.delivered,
  });
} catch (e) {
  run.error(e);
} finally {
  await browser.close();
}
run.finish();
