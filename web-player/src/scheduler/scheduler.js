/**
 * The scheduler's decisions, as pure functions of what they are told (no clock, no network), so
 * tests run them with made-up times: where a segment comes from (HTTP, a peer, or a short wait for
 * a peer that is fetching it), whether a running peer transfer should be abandoned, which upcoming
 * segments to fetch from peers ahead of the player, and how fast HTTP and each peer are.
 *
 * The rule that keeps P2P from playing worse than plain HTTP: a segment due within `httpWindow`
 * seconds goes to HTTP, and a peer gets only the time that leaves, after the deadline, the
 * `httpWindow` plus an HTTP fetch of the whole segment.
 */

/** A peer transfer needs at least this much time, else the segment goes to HTTP at once. */
export const MIN_P2P_BUDGET_MS = 200;
/** Rate and latency are judged after this long since the first byte (or the request). */
export const PROBE_MS = 300;
/** A peer that sends nothing for this long has stalled. */
export const STALL_MS = 1000;
/**
 * A live segment the swarm has not announced is asked of an edge seeder this long before its
 * deadline, while a channel to one that holds it is open.
 */
export const RESCUE_LEAD_MS = 1500;

/**
 * A duration-weighted exponentially weighted moving average: each sample counts as much as the
 * time it took, and weight halves every `halfLife` seconds of samples.
 */
export class Ewma {
  /** @param {number} halfLife */
  constructor(halfLife) {
    this.alpha = Math.exp(Math.log(0.5) / halfLife);
    this.estimate = 0;
    this.weight = 0;
  }

  /** @param {number} value @param {number} weight  seconds */
  sample(value, weight) {
    const adjusted = Math.pow(this.alpha, weight);
    this.estimate = value * (1 - adjusted) + adjusted * this.estimate;
    this.weight += weight;
  }

  /** The average, corrected for the zero it started from; null before any sample. */
  get value() {
    return this.weight > 0 ? this.estimate / (1 - Math.pow(this.alpha, this.weight)) : null;
  }
}

/**
 * What HTTP transfers achieved: bytes per second and time to first byte. The scheduler sizes peer
 * deadlines with it, and hls.js's bandwidth estimate is fed with it for P2P deliveries.
 */
export class HttpEstimate {
  /** @param {number} fallbackBitsPerSecond  what to assume before the first sample */
  constructor(fallbackBitsPerSecond = 1e6) {
    this.fallback = fallbackBitsPerSecond / 8;
    this.rate = new Ewma(4);
    this.ttfb = new Ewma(4);
  }

  /** @param {number} bytes @param {number} transferMs  first byte to last @param {number} ttfbMs */
  sample(bytes, transferMs, ttfbMs) {
    if (bytes <= 0) return;
    const seconds = Math.max(transferMs, 1) / 1000;
    this.rate.sample(bytes / seconds, seconds);
    this.ttfb.sample(ttfbMs, 1);
  }

  /** Bytes per second, the fallback before any sample. */
  get bytesPerSecond() {
    return this.rate.value ?? this.fallback;
  }

  get ttfbMs() {
    return this.ttfb.value ?? 200;
  }

  /** Whether any HTTP transfer was measured yet. */
  get measured() {
    return this.rate.value !== null;
  }

  /** How long an HTTP fetch of `bytes` should take. @param {number} bytes */
  expectedMs(bytes) {
    return this.ttfbMs + (bytes / this.bytesPerSecond) * 1000;
  }
}

/**
 * How a peer has served us: delivery rate, latency (request to first byte), and penalties for
 * abandoned or failed transfers, which keep it from being asked for a while, longer each time.
 */
export class PeerScore {
  constructor() {
    this.rate = new Ewma(6);
    this.latency = new Ewma(6);
    this.strikes = 0;
    this.penaltyUntil = -Infinity;
    this.served = 0;
  }

  /** @param {number} bytes @param {number} transferMs  first byte to last @param {number} latencyMs */
  sample(bytes, transferMs, latencyMs) {
    if (bytes <= 0) return;
    const seconds = Math.max(transferMs, 1) / 1000;
    this.rate.sample(bytes / seconds, seconds);
    this.latency.sample(latencyMs, 1);
    this.served++;
    this.strikes = Math.max(0, this.strikes - 1);
  }

  /** Abandoned (slow, stalled, late) or failed: not asked for 2 s, doubling with each strike up to a minute. @param {number} now */
  penalize(now) {
    this.penaltyUntil = now + Math.min(60_000, 2000 * 2 ** this.strikes);
    this.strikes++;
  }

  /** @param {number} now */
  penalized(now) {
    return now < this.penaltyUntil;
  }

  /**
   * How long this peer should take for `bytes`: unmeasured peers are assumed as fast as
   * `optimisticRate` (so new peers get tried), and each strike makes a peer look slower.
   *
   * @param {number} bytes
   * @param {number} optimisticRate  bytes per second
   */
  expectedMs(bytes, optimisticRate) {
    const rate = this.rate.value ?? optimisticRate;
    const latency = this.latency.value ?? 100;
    return (latency + (bytes / rate) * 1000) * (1 + this.strikes);
  }
}

/**
 * @typedef {{id: string, score: PeerScore}} Candidate
 * @typedef {{source: 'http', reason: 'off' | 'urgent' | 'no-peers' | 'slow-peers' | 'seed' | 'nobody-has-it'}
 *   | {source: 'peer', peer: string, deadline: number}
 *   | {source: 'wait', until: number}} Plan
 *   wait: for the swarm (a peer that is fetching it, or one that will announce it) until `until`:
 *   the deadline, or a little before it when an edge seeder could rescue the segment
 */

/**
 * Where segment bytes come from now. `deadline`: when HTTP must start at the latest (deadlineFor;
 * may be past); `bytes`: bytes still needed (the expected size while it is unknown); `holders`:
 * connected viewers that hold the segment and have a request slot; `fetchers`: connected viewers
 * announcing they fetch it; `peers`: connected viewers in the swarm; `seed`: this viewer fetches this
 * live segment over HTTP rather than wait for a peer to announce it (assigned by the tracker, or
 * drawn to seed the swarm); `seeders`: connected edge seeders that hold the segment and have a
 * request slot; `joiningUntil`: until when this viewer is still joining the swarm (the tracker's
 * answer and its first peer connections on their way), 0 once joined.
 *
 * Edge seeders are never chosen while a viewer can serve the segment, only as a rescue from HTTP:
 * their bytes are edge bytes either way, and their channel is cheaper than HTTP because it is
 * already open (no new connection, no request head). In order:
 * 1. budget under MIN_P2P_BUDGET_MS: HTTP `urgent`;
 * 2. no viewer and no seeder: while still joining and not seeding, wait for the first peers until
 *    `joiningUntil` (never past the deadline), so a newcomer's first buffer can come from the
 *    swarm; else HTTP `no-peers`;
 * 3. the viewers' plan decides first (a viewer that can serve it in time, or a wait for one fetching it);
 * 4. where that plan is HTTP (`slow-peers`, `nobody-has-it`, `no-peers`), the seeder expected to
 *    be done soonest (its score, or the optimistic rate of unmeasured peers) if it can within the
 *    budget;
 * 5. a live segment nobody announced that this viewer does not seed: wait for the swarm, with a
 *    seeder holding it only until RESCUE_LEAD_MS before the deadline; from then on that seeder if
 *    it can be done in time;
 * 6. a live segment nobody announced that this viewer seeds: HTTP `seed`.
 *
 * @param {{now: number, deadline: number, bytes: number, holders: Candidate[], fetchers: number,
 *   peers: number, live: boolean, seed: boolean, seeders?: Candidate[], joiningUntil?: number}} input
 * @returns {Plan}
 */
export function planSegment({ now, deadline, bytes, holders, fetchers, peers, live, seed, seeders = [], joiningUntil = 0 }) {
  const budget = deadline - now;
  if (budget < MIN_P2P_BUDGET_MS) return { source: 'http', reason: 'urgent' };
  if (peers === 0 && seeders.length === 0) {
    return joiningUntil > now && !seed ? { source: 'wait', until: Math.min(deadline, joiningUntil) }
      : { source: 'http', reason: 'no-peers' };
  }
  const fromViewers = planFromViewers({ now, deadline, budget, bytes, holders, fetchers, peers, live, seed });
  if (fromViewers.source === 'http' && fromViewers.reason !== 'seed') {
    const rescue = fastest(seeders, bytes, budget);
    return rescue ? { source: 'peer', peer: rescue.id, deadline } : fromViewers;
  }
  if (fromViewers.source === 'wait' && live && holders.length === 0 && fetchers === 0 && seeders.length > 0) {
    // Nobody announced this new live segment: wait for the swarm, but leave a seeder time to rescue it.
    const rescue = budget <= RESCUE_LEAD_MS ? fastest(seeders, bytes, budget) : null;
    if (rescue) return { source: 'peer', peer: rescue.id, deadline };
    return { source: 'wait', until: budget > RESCUE_LEAD_MS ? deadline - RESCUE_LEAD_MS : deadline };
  }
  return fromViewers;
}

/**
 * The plan among viewers alone (the rule before edge seeders).
 *
 * @param {{now: number, deadline: number, budget: number, bytes: number, holders: Candidate[],
 *   fetchers: number, peers: number, live: boolean, seed: boolean}} input
 * @returns {Plan}
 */
function planFromViewers({ now, deadline, budget, bytes, holders, fetchers, peers, live, seed }) {
  if (peers === 0) return { source: 'http', reason: 'no-peers' };
  const fresh = holders.filter((c) => !c.score.penalized(now));
  const best = soonest(fresh.length > 0 ? fresh : holders, bytes, budget);
  if (best) {
    if (expectedMs(best, bytes, budget) <= budget) return { source: 'peer', peer: best.id, deadline };
    return fetchers > 0 ? { source: 'wait', until: deadline } : { source: 'http', reason: 'slow-peers' };
  }
  if (fetchers > 0) return { source: 'wait', until: deadline };
  if (!live) return { source: 'http', reason: 'nobody-has-it' };
  // A new live segment nobody announced yet: the seeding viewers fetch it at once; the others give
  // the swarm until the deadline to announce it.
  return seed ? { source: 'http', reason: 'seed' } : { source: 'wait', until: deadline };
}

/** The candidate expected to deliver `bytes` soonest, if it can within `budget` ms; else null. @param {Candidate[]} candidates @param {number} bytes @param {number} budget */
function fastest(candidates, bytes, budget) {
  const best = soonest(candidates, bytes, budget);
  return best && expectedMs(best, bytes, budget) <= budget ? best : null;
}

/** The candidate expected to deliver `bytes` soonest (the first of equals), or null when there is none. @param {Candidate[]} candidates @param {number} bytes @param {number} budget */
function soonest(candidates, bytes, budget) {
  if (candidates.length === 0) return null;
  return candidates.reduce((a, b) => (expectedMs(a, bytes, budget) <= expectedMs(b, bytes, budget) ? a : b));
}

/** Unmeasured peers are assumed to manage the segment in half the budget. @param {Candidate} candidate @param {number} bytes @param {number} budget */
function expectedMs(candidate, bytes, budget) {
  return candidate.score.expectedMs(bytes, bytes / (budget / 2000));
}

/**
 * When HTTP must start, at the latest, for a segment due in `dueSeconds` (media time until the
 * playhead reaches it, divided by the playback rate): early enough that `httpWindow` seconds of
 * buffer are left once an HTTP fetch of `bytes` is done.
 *
 * @param {{now: number, dueSeconds: number, httpWindow: number, bytes: number, http: HttpEstimate}} input
 */
export function deadlineFor({ now, dueSeconds, httpWindow, bytes, http }) {
  return now + (dueSeconds - httpWindow) * 1000 - http.expectedMs(bytes);
}

/**
 * Whether a running peer transfer should go on. A transfer is abandoned when the deadline passed,
 * when the peer sent nothing for STALL_MS (or no first byte within the time the deadline leaves),
 * or, once measured for PROBE_MS, when it delivers slower than the segment's bitrate or cannot
 * finish by the deadline at its rate.
 *
 * @param {{now: number, requestedAt: number, firstByteAt: number | null, lastByteAt: number | null,
 *   received: number, size: number, deadline: number, bitrate: number}} t  received/size: bytes of
 *   this transfer and of what it must deliver; bitrate: the segment's bytes per second of media
 * @returns {'ok' | 'late' | 'stalled' | 'slow'}
 */
export function checkTransfer({ now, requestedAt, firstByteAt, lastByteAt, received, size, deadline, bitrate }) {
  if (now >= deadline) return 'late';
  if (firstByteAt === null || lastByteAt === null) {
    return now - requestedAt > Math.min(STALL_MS, Math.max(PROBE_MS, (deadline - requestedAt) / 2)) ? 'stalled' : 'ok';
  }
  if (now - lastByteAt > STALL_MS) return 'stalled';
  const measuredMs = now - firstByteAt;
  if (measuredMs < PROBE_MS) return 'ok';
  const rate = received / (measuredMs / 1000);
  if (rate < bitrate) return 'slow';
  return now + ((size - received) / rate) * 1000 > deadline ? 'late' : 'ok';
}

/**
 * Upcoming segments worth fetching from peers before the player asks: held by a peer, not held
 * here nor on their way, due within `p2pWindow` seconds but not within the HTTP window; the
 * soonest first, at most `slots`.
 *
 * @template {{sequence: number, dueSeconds: number}} S
 * @param {{upcoming: S[], p2pWindow: number, httpWindow: number, slots: number,
 *   wanted: (segment: S) => boolean}} input  wanted: not held, not in flight, and some peer holds it
 * @returns {S[]}
 */
export function prefetchCandidates({ upcoming, p2pWindow, httpWindow, slots, wanted }) {
  if (slots <= 0) return [];
  return upcoming
    .filter((s) => s.dueSeconds > httpWindow && s.dueSeconds <= p2pWindow && wanted(s))
    .sort((a, b) => a.dueSeconds - b.dueSeconds)
    .slice(0, slots);
}
