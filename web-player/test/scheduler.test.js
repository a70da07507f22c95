// The scheduler's decisions with made-up times: HTTP vs peers, deadlines, abandoning transfers,
// peer scores, prefetch choices.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  Ewma, HttpEstimate, MIN_P2P_BUDGET_MS, PROBE_MS, PeerScore, RESCUE_LEAD_MS, STALL_MS, checkTransfer, deadlineFor,
  planSegment, prefetchCandidates,
} from '../src/scheduler/scheduler.js';

const SEGMENT = 250_000;
const candidate = (id, score = new PeerScore()) => ({ id, score });
const plan = (overrides) => planSegment({
  now: 10_000, deadline: 12_000, bytes: SEGMENT, holders: [], fetchers: 0, peers: 2, live: true, seed: false,
  ...overrides,
});

describe('planSegment while joining the swarm', () => {
  const joining = (overrides) => plan({ deadline: 14_000, peers: 0, live: false, ...overrides });

  test('with no peer connected yet a segment waits for them until the join is over or its deadline', () => {
    assert.deepEqual(joining({ joiningUntil: 11_000 }), { source: 'wait', until: 11_000 });
    assert.deepEqual(joining({ deadline: 12_000, joiningUntil: 13_000 }), { source: 'wait', until: 12_000 },
      'never past the deadline');
  });

  test('not once joined, nor when it is due, nor when this viewer seeds it', () => {
    assert.deepEqual(joining({ joiningUntil: 0 }), { source: 'http', reason: 'no-peers' });
    assert.deepEqual(joining({ joiningUntil: 10_000 }), { source: 'http', reason: 'no-peers' }, 'the grace is over');
    assert.deepEqual(joining({ deadline: 10_100, joiningUntil: 11_000 }), { source: 'http', reason: 'urgent' });
    assert.deepEqual(joining({ seed: true, joiningUntil: 11_000 }), { source: 'http', reason: 'no-peers' });
  });

  test('a connected peer ends the wait for others', () => {
    assert.deepEqual(joining({ peers: 2, joiningUntil: 11_000 }), { source: 'http', reason: 'nobody-has-it' });
  });
});

describe('planSegment', () => {
  test('a segment due too soon goes to HTTP, whoever holds it', () => {
    assert.deepEqual(plan({ deadline: 10_000 + MIN_P2P_BUDGET_MS - 1, holders: [candidate('a')] }),
      { source: 'http', reason: 'urgent' });
    assert.deepEqual(plan({ deadline: 9_000, holders: [candidate('a')] }), { source: 'http', reason: 'urgent' });
  });

  test('without peers, HTTP at once', () => {
    assert.deepEqual(plan({ peers: 0 }), { source: 'http', reason: 'no-peers' });
  });

  test('a peer that holds it gets it, with the deadline', () => {
    assert.deepEqual(plan({ holders: [candidate('a')] }), { source: 'peer', peer: 'a', deadline: 12_000 });
  });

  test('the fastest measured peer is chosen, penalized peers only when nobody else holds it', () => {
    const slow = new PeerScore();
    slow.sample(SEGMENT, 1000, 50); // 250 kB/s
    const fast = new PeerScore();
    fast.sample(SEGMENT, 100, 20); // 2.5 MB/s
    assert.equal(plan({ holders: [candidate('slow', slow), candidate('fast', fast)] }).peer, 'fast');
    fast.penalize(10_000);
    assert.equal(plan({ holders: [candidate('slow', slow), candidate('fast', fast)] }).peer, 'slow');
    assert.equal(plan({ holders: [candidate('fast', fast)] }).peer, 'fast');
  });

  test('a peer too slow for the time left is not asked: wait for a fetcher, else HTTP', () => {
    const crawling = new PeerScore();
    crawling.sample(SEGMENT, 10_000, 50); // 25 kB/s: 10 s for the segment, 2 s left
    assert.deepEqual(plan({ holders: [candidate('c', crawling)] }), { source: 'http', reason: 'slow-peers' });
    assert.deepEqual(plan({ holders: [candidate('c', crawling)], fetchers: 1 }), { source: 'wait', until: 12_000 });
  });

  test('a peer fetching it is waited for, until the deadline', () => {
    assert.deepEqual(plan({ fetchers: 1 }), { source: 'wait', until: 12_000 });
  });

  test('a new live segment nobody has: seeders fetch it over HTTP, the others wait', () => {
    assert.deepEqual(plan({ seed: true }), { source: 'http', reason: 'seed' });
    assert.deepEqual(plan({ seed: false }), { source: 'wait', until: 12_000 });
  });

  test('an on-demand segment nobody has or fetches goes to HTTP', () => {
    assert.deepEqual(plan({ live: false }), { source: 'http', reason: 'nobody-has-it' });
  });
});

describe('planSegment with edge seeders: a rescue only (the contract\'s points 1 to 6)', () => {
  const edge = () => [candidate('edge')];
  /** 250 kB in 10 s: too slow for the 2 s a segment gets here. */
  const crawling = () => {
    const score = new PeerScore();
    score.sample(SEGMENT, 10_000, 50);
    return score;
  };

  test('1. too little time: HTTP urgent, a seeder or not', () => {
    assert.deepEqual(plan({ deadline: 10_000 + MIN_P2P_BUDGET_MS - 1, seeders: edge() }), { source: 'http', reason: 'urgent' });
    assert.deepEqual(plan({ deadline: 10_000 + MIN_P2P_BUDGET_MS - 1, live: false, seeders: edge() }), { source: 'http', reason: 'urgent' });
  });

  test('2. no viewer and no seeder holding it: HTTP no-peers', () => {
    assert.deepEqual(plan({ peers: 0, seeders: [] }), { source: 'http', reason: 'no-peers' });
    assert.deepEqual(plan({ peers: 0 }), { source: 'http', reason: 'no-peers' }, 'seeders left out: none');
  });

  test('3. the viewers decide first: one that can serve it, or one fetching it is waited for', () => {
    assert.deepEqual(plan({ holders: [candidate('a')], seeders: edge() }), { source: 'peer', peer: 'a', deadline: 12_000 });
    const fast = new PeerScore();
    fast.sample(SEGMENT, 50, 5);
    assert.equal(plan({ holders: [candidate('a')], seeders: [candidate('edge', fast)] }).peer, 'a', 'even a faster seeder waits');
    assert.deepEqual(plan({ fetchers: 1, seeders: edge() }), { source: 'wait', until: 12_000 }, 'to the deadline');
    assert.deepEqual(plan({ holders: [candidate('c', crawling())], fetchers: 1, seeders: edge() }), { source: 'wait', until: 12_000 });
  });

  test('4. where the viewers\' plan is HTTP (slow-peers, nobody-has-it, no-peers), a seeder that fits the budget', () => {
    const rescue = { source: 'peer', peer: 'edge', deadline: 12_000 };
    assert.deepEqual(plan({ holders: [candidate('c', crawling())], seeders: edge() }), rescue, 'slow-peers');
    assert.deepEqual(plan({ live: false, seeders: edge() }), rescue, 'nobody-has-it');
    assert.deepEqual(plan({ peers: 0, seeders: edge() }), rescue, 'no-peers');
    assert.deepEqual(plan({ peers: 0, seed: true, seeders: edge() }), rescue, 'no viewers: nothing to seed, the channel is open');
    assert.deepEqual(plan({ live: false, seeders: [candidate('edge', crawling())] }), { source: 'http', reason: 'nobody-has-it' },
      'a seeder that would not be done in time: HTTP as before');
    const fast = new PeerScore();
    fast.sample(SEGMENT, 50, 5);
    assert.equal(plan({ live: false, seeders: [candidate('slow', crawling()), candidate('fast', fast)] }).peer, 'fast', 'the soonest done');
  });

  test('5. a live segment nobody announced: wait for the swarm until RESCUE_LEAD_MS before the deadline, then the seeder', () => {
    assert.equal(RESCUE_LEAD_MS, 1500);
    const deadline = 10_000 + RESCUE_LEAD_MS + 3000;
    assert.deepEqual(plan({ deadline, seeders: edge() }), { source: 'wait', until: deadline - RESCUE_LEAD_MS });
    assert.deepEqual(plan({ deadline }), { source: 'wait', until: deadline }, 'without a seeder: to the deadline');
    const near = 10_000 + RESCUE_LEAD_MS;
    assert.deepEqual(plan({ deadline: near, seeders: edge() }), { source: 'peer', peer: 'edge', deadline: near }, 'at the lead: the seeder');
    assert.deepEqual(plan({ deadline: near - 500, seeders: edge() }), { source: 'peer', peer: 'edge', deadline: near - 500 }, 'and after it');
    assert.deepEqual(plan({ deadline: near, seeders: [candidate('edge', crawling())] }), { source: 'wait', until: near },
      'a seeder that would not be done in time: the wait goes on to the deadline');
    assert.deepEqual(plan({ deadline: near, fetchers: 1, seeders: edge() }), { source: 'wait', until: near }, 'a viewer fetching it: wait for it');
  });

  test('6. a live segment nobody announced that this viewer seeds: HTTP seed, a seeder or not', () => {
    assert.deepEqual(plan({ seed: true, seeders: edge() }), { source: 'http', reason: 'seed' });
    assert.deepEqual(plan({ seed: true, deadline: 10_000 + RESCUE_LEAD_MS, seeders: edge() }), { source: 'http', reason: 'seed' });
  });
});

describe('deadlineFor', () => {
  test('leaves the HTTP window and an HTTP fetch of the segment before the segment is due', () => {
    const http = new HttpEstimate();
    http.sample(1_000_000, 1000, 100); // 1 MB/s, 100 ms to first byte
    const deadline = deadlineFor({ now: 5000, dueSeconds: 6, httpWindow: 2, bytes: 500_000, http });
    assert.ok(Math.abs(deadline - (5000 + 4000 - 100 - 500)) < 1, String(deadline));
  });

  test('is in the past when the buffer is shorter than the window', () => {
    const deadline = deadlineFor({ now: 5000, dueSeconds: 1, httpWindow: 2, bytes: 1, http: new HttpEstimate() });
    assert.ok(deadline < 5000);
  });
});

describe('checkTransfer', () => {
  const transfer = (overrides) => checkTransfer({
    now: 1000, requestedAt: 0, firstByteAt: 100, lastByteAt: 950, received: 200_000, size: 250_000,
    deadline: 3000, bitrate: 100_000, ...overrides,
  });

  test('goes on while the peer keeps pace', () => {
    assert.equal(transfer({}), 'ok');
    assert.equal(transfer({ now: 100 + PROBE_MS - 1, received: 1 }), 'ok', 'not judged before the probe time');
  });

  test('is late once the deadline passed', () => {
    assert.equal(transfer({ now: 3000 }), 'late');
  });

  test('is late early when the rate cannot finish by the deadline', () => {
    // 150 kB/s measured over 1 s, 2 MB to go: 13 s, 1.5 s left.
    assert.equal(transfer({ now: 1500, firstByteAt: 500, lastByteAt: 1490, received: 150_000, size: 2_150_000 }), 'late');
  });

  test('is slow when the peer delivers slower than the segment plays', () => {
    assert.equal(transfer({ received: 50_000 }), 'slow'); // 55 kB/s < 100 kB/s
  });

  test('stalls when no first byte comes, or the bytes stop', () => {
    assert.equal(transfer({ now: STALL_MS + 1, firstByteAt: null, lastByteAt: null, received: 0 }), 'stalled');
    assert.equal(transfer({ now: 200, firstByteAt: null, lastByteAt: null, received: 0 }), 'ok');
    assert.equal(transfer({ now: 950 + STALL_MS + 1, deadline: 10_000 }), 'stalled');
  });
});

describe('scores and estimates', () => {
  test('Ewma weighs samples by their duration and forgets by half-life', () => {
    const ewma = new Ewma(2);
    assert.equal(ewma.value, null);
    ewma.sample(100, 1);
    assert.equal(Math.round(ewma.value), 100);
    ewma.sample(200, 2);
    const after = ewma.value;
    assert.ok(after > 150 && after < 200, String(after));
  });

  test('HttpEstimate uses the fallback until measured', () => {
    const http = new HttpEstimate(8e6);
    assert.equal(http.measured, false);
    assert.equal(http.bytesPerSecond, 1e6);
    http.sample(500_000, 250, 40);
    assert.equal(http.measured, true);
    assert.equal(Math.round(http.bytesPerSecond), 2_000_000);
    assert.equal(Math.round(http.expectedMs(2_000_000)), 1040);
  });

  test('a penalized peer waits longer with each strike, and looks slower', () => {
    const score = new PeerScore();
    const before = score.expectedMs(100_000, 1e6);
    score.penalize(0);
    assert.ok(score.penalized(1999) && !score.penalized(2000));
    score.penalize(2000);
    assert.ok(score.penalized(5999) && !score.penalized(6000));
    assert.equal(score.expectedMs(100_000, 1e6), before * 3);
    score.sample(100_000, 100, 10); // serving well takes a strike back
    assert.equal(score.strikes, 1);
  });
});

describe('prefetchCandidates', () => {
  test('upcoming segments held by peers, inside the P2P window and outside the HTTP one, soonest first', () => {
    const upcoming = [
      { sequence: 5, dueSeconds: 1 },
      { sequence: 8, dueSeconds: 12 },
      { sequence: 6, dueSeconds: 4 },
      { sequence: 7, dueSeconds: 8 },
      { sequence: 9, dueSeconds: 40 },
    ];
    const chosen = prefetchCandidates({ upcoming, p2pWindow: 20, httpWindow: 2, slots: 2, wanted: (s) => s.sequence !== 6 });
    assert.deepEqual(chosen.map((s) => s.sequence), [7, 8]);
    assert.deepEqual(prefetchCandidates({ upcoming, p2pWindow: 20, httpWindow: 2, slots: 0, wanted: () => true }), []);
  });
});
