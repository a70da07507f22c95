/**
 * The edge the engine loads from, and moving to another when it fails, with the Java engine's
 * policy (peer's dev.swarmcdn.peer.failover.EdgeFailover; docs/ARCHITECTURE.md, "Failover"):
 * - The player keeps the URLs of the first edge it was routed to; `rewrite` moves each request onto
 *   the current edge, so playlists and segments follow a switch without the player knowing.
 * - A request fails as an edge fails when it is refused, reset or cut (fetch throws), its headers
 *   do not come within EDGE_HEADERS_TIMEOUT_MS, or the answer is a 5xx. A 4xx is the request's
 *   fault (another edge would refuse it too), and an abort the caller's own doing.
 * - `failed` marks the edge bad for BAD_EDGE_MS and asks /route again, excluding the bad edges.
 *   One ask at a time (failures meanwhile share it), and after each ask none for a gap that starts
 *   at MIN_ASK_GAP_MS and doubles, up to MAX_ASK_GAP_MS, while asks bring no other edge.
 * - The failed request is tried once more on the new edge, never more: no retry storm.
 */

/** An edge that failed is kept out of route asks this long. */
export const BAD_EDGE_MS = 30_000;
export const MIN_ASK_GAP_MS = 1000;
export const MAX_ASK_GAP_MS = 30_000;
/** Headers later than this: the edge is taken as failed (the Java engine's connect and idle timeouts). */
export const EDGE_HEADERS_TIMEOUT_MS = 10_000;
/** The tracker's bound on `exclude`. */
const MAX_EXCLUDED = 8;

/**
 * What the tracker's /route said (docs/PROTOCOL.md, "Route").
 *
 * @typedef {{edge: string, edgeId: string | null, tracker: string | null, trackerToken: string | null,
 *   edgeToken: string | null, iceServers: unknown, fallback: boolean, reason: string | null, base: string}} RouteAnswer
 *   edge: the edge's base URL without a trailing /; base: where the stream's paths go, the edge then
 *   its access token as a path prefix (/~t/TOKEN)
 */

/**
 * @param {any} answer  the parsed JSON
 * @param {string} from  the URL asked, for the error
 * @returns {RouteAnswer}
 */
export function parseRoute(answer, from) {
  if (typeof answer?.edge !== 'string') throw new Error(`swarmcdn: ${from} named no edge`);
  const text = (/** @type {unknown} */ value) => (typeof value === 'string' ? value : null);
  const url = new URL(answer.edge);
  const edge = `${url.origin}${url.pathname.replace(/\/$/, '')}`;
  const edgeToken = text(answer.tokens?.edge);
  return {
    edge, edgeId: text(answer.edgeId), tracker: text(answer.tracker), trackerToken: text(answer.tokens?.tracker),
    edgeToken, iceServers: answer.iceServers, fallback: answer.fallback === true, reason: text(answer.reason),
    base: `${edge}${edgeToken ? `/~t/${edgeToken}` : ''}`,
  };
}

export class EdgeFailover {
  /**
   * @param {{clock: import('../util/clock.js').Clock, fetch: typeof fetch, log: import('../util/log.js').Logger,
   *   askRoute: (excluded: string[]) => Promise<RouteAnswer>, switched: (answer: RouteAnswer) => void}} options
   *   askRoute: asks /route again, excluding the given edge ids; switched: told each move to another edge
   */
  constructor({ clock, fetch, log, askRoute, switched }) {
    this.clock = clock;
    this.plainFetch = fetch;
    this.log = log;
    this.askRoute = askRoute;
    this.switched = switched;
    /** @type {Map<string, {edgeId: string | null, until: number}>} edge URL -> kept away until */
    this.bad = new Map();
    /** @type {string | null} */
    this.firstBase = null;
    /** @type {RouteAnswer | null} */
    this.current = null;
    /** @type {Promise<boolean> | null} */
    this.asking = null;
    this.nextAskAt = 0;
    this.askGap = MIN_ASK_GAP_MS;
  }

  /** The route the player was first given: its URLs carry this answer's base from now on. @param {RouteAnswer} first */
  start(first) {
    this.firstBase = first.base;
    this.current = first;
  }

  /** `url` on the current edge: unchanged unless it is on the first edge and the engine moved since. @param {string} url */
  rewrite(url) {
    const { current, firstBase } = this;
    if (!current || firstBase === null || firstBase === current.base || !within(url, firstBase)) return url;
    return current.base + url.slice(firstBase.length);
  }

  /** Whether `url` (as rewritten) goes to an edge this failover manages. @param {string} url */
  managed(url) {
    return this.current !== null && (within(url, this.current.base) || within(url, /** @type {string} */ (this.firstBase)));
  }

  /**
   * A request to `url` (as rewritten) failed as an edge fails.
   *
   * @param {string} url
   * @returns {Promise<boolean>}  true when the engine is now on another edge, where the request may be tried again
   */
  failed(url) {
    const current = this.current;
    if (!current) return Promise.resolve(false);
    if (!within(url, current.base)) return Promise.resolve(true); // an edge already left: the current one is worth a try
    const now = this.clock.now();
    this.bad.set(current.edge, { edgeId: current.edgeId, until: now + BAD_EDGE_MS });
    if (this.asking) return this.asking;
    if (now < this.nextAskAt) return Promise.resolve(false);
    this.log.info(`edge ${current.edge} failed; asking for another`);
    const ask = this.askRoute(this.excluded()).then((answer) => this.moveTo(answer), (e) => {
      this.log.info('route:', e?.message ?? e);
      return false;
    }).then((moved) => {
      this.asking = null;
      this.askGap = moved ? MIN_ASK_GAP_MS : Math.min(MAX_ASK_GAP_MS, this.askGap * 2);
      this.nextAskAt = this.clock.now() + this.askGap;
      return moved;
    });
    this.asking = ask;
    return ask;
  }

  /**
   * fetch with failover: to the current edge, tried once more on the next edge when it fails as an
   * edge fails; requests elsewhere pass through with only the headers' deadline, and everything
   * untouched while the engine is not routed.
   *
   * @param {string} url
   * @param {RequestInit} [init]
   * @returns {Promise<Response>}
   */
  async fetch(url, init = {}) {
    if (!this.current) return this.plainFetch(url, init); // not routed: nothing to fail over to
    const target = this.rewrite(url);
    let outcome = await this.attempt(target, init);
    if (!outcome.failed || !this.managed(target)) return outcome.settle();
    if (!(await this.failed(target))) return outcome.settle();
    await outcome.response?.body?.cancel();
    const again = this.rewrite(url);
    outcome = await this.attempt(again, init);
    if (outcome.failed && this.managed(again)) this.failed(again); // not tried again: the next request finds the next edge
    return outcome.settle();
  }

  /**
   * One request, its headers within EDGE_HEADERS_TIMEOUT_MS.
   *
   * @private @param {string} url @param {RequestInit} init
   * @returns {Promise<{failed: boolean, response: Response | null, settle: () => Response}>}
   *   failed: as an edge fails; settle: the response, or throws the error
   */
  async attempt(url, init) {
    const deadline = new AbortController();
    const timer = this.clock.setTimeout(() => deadline.abort(new Error(`no answer from ${url} in ${EDGE_HEADERS_TIMEOUT_MS} ms`)),
      EDGE_HEADERS_TIMEOUT_MS);
    const signal = init.signal ? AbortSignal.any([init.signal, deadline.signal]) : deadline.signal;
    try {
      const response = await this.plainFetch(url, { ...init, signal });
      return { failed: response.status >= 500, response, settle: () => response };
    } catch (e) {
      // Refused, reset, cut or too slow; not the caller's abort.
      return { failed: !init.signal?.aborted, response: null, settle: () => { throw e; } };
    } finally {
      this.clock.clearTimeout(timer);
    }
  }

  /** @private @param {RouteAnswer} answer */
  moveTo(answer) {
    const known = this.bad.get(answer.edge);
    if (known && known.until > this.clock.now()) {
      this.log.info(`route names ${answer.edge} again: no other edge`);
      return false;
    }
    this.log.info(`failover: ${this.current?.edge} -> ${answer.edge}`);
    this.current = answer;
    this.switched(answer);
    return true;
  }

  /** Ids of the edges kept away now, in order, as many as the tracker reads. @private */
  excluded() {
    const now = this.clock.now();
    for (const [edge, { until }] of this.bad) if (until <= now) this.bad.delete(edge);
    return [...this.bad.values()].map((b) => b.edgeId).filter((id) => id !== null).sort().slice(0, MAX_EXCLUDED);
  }
}

/** @param {string} url @param {string} base */
function within(url, base) {
  return url.startsWith(base) && (url.length === base.length || url[base.length] === '/');
}
