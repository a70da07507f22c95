/**
 * The route: with the `route` option, which edge the stream loads from (the tracker's /route), and
 * the move to another edge when it fails (EdgeFailover). Without the option, sources load as given
 * and the edge is never moved. Every request towards the edge but /route goes through `fetch`.
 */
import { EdgeFailover, parseRoute } from './edge-failover.js';

/** @typedef {import('./edge-failover.js').RouteAnswer} RouteAnswer */

export class Route {
  /**
   * @param {{route: string | null, swarmId: string | null, clock: import('../util/clock.js').Clock,
   *   fetch: typeof fetch, log: import('../util/log.js').Logger,
   *   routed: (answer: RouteAnswer, first: boolean) => void}} options
   *   route, swarmId: the engine's options; routed: told the first answer and each move to another edge
   */
  constructor({ route, swarmId, clock, fetch, log, routed }) {
    this.url = route;
    this.swarmId = swarmId;
    this.plainFetch = fetch;
    this.log = log;
    /** @type {string | null} the stream asked of /route, once resolved */
    this.stream = null;
    this.edges = new EdgeFailover({
      clock, fetch, log,
      askRoute: (excluded) => this.ask(excluded),
      switched: (answer) => routed(answer, false),
    });
    this.routed = routed;
    /** fetch towards the edge, moved to another when it fails. @type {typeof fetch} */
    this.fetch = (url, init) => this.edges.fetch(String(url), init);
  }

  /**
   * The URL to load for `src`: unchanged (made absolute), or, with a route, on the edge /route
   * names, with its access token.
   *
   * @param {string} src  a playlist URL or path, e.g. /live/demo/master.m3u8
   * @returns {Promise<string>}
   */
  async resolve(src) {
    if (!this.url) return new URL(src, pageBase()).href;
    const target = new URL(src, pageBase());
    this.stream = this.swarmId ?? /^\/live\/([^/]+)\//.exec(target.pathname)?.[1]
      ?? target.pathname.split('/').filter(Boolean).slice(0, -1).join('/');
    const answer = await this.ask([]);
    this.routed(answer, true);
    this.edges.start(answer);
    return `${answer.base}${target.pathname}${target.search}`;
  }

  /**
   * Asks /route where to load the routed stream from, passing over the `excluded` edges (straight
   * to the tracker: a failing /route is no edge's failure).
   *
   * @private @param {string[]} excluded  edge ids
   * @returns {Promise<RouteAnswer>}
   */
  async ask(excluded) {
    const route = new URL(/** @type {string} */ (this.url), pageBase());
    route.searchParams.set('stream', /** @type {string} */ (this.stream));
    if (excluded.length > 0) route.searchParams.set('exclude', excluded.join(','));
    const response = await this.plainFetch(route.href, { cache: 'no-store' });
    if (!response.ok) throw new Error(`swarmcdn: ${route.href}: HTTP ${response.status}`);
    const answer = parseRoute(await response.json(), route.href);
    this.log.info(`route: ${answer.edge}${answer.fallback ? ` (fallback: ${answer.reason})` : ''}`);
    return answer;
  }
}

/**
 * What relative sources resolve against: the page, or, without a page (node), a placeholder (with a
 * route, only their path and query count).
 */
function pageBase() {
  return typeof location === 'undefined' ? 'http://localhost/' : location.href;
}
