/**
 * The ICE servers peers connect with: the iceServers option when it names them, else the route
 * answer's, else the edge's own (/_edge/ice-servers, asked once). Swarms are joined only once they
 * are known (`ready`), so that the first offers already carry relay candidates.
 */

const ICE_SERVERS_TIMEOUT_MS = 2000;

export class IceServers {
  /**
   * @param {{pinned: RTCIceServer[] | null, clock: import('../util/clock.js').Clock, fetch: typeof fetch,
   *   log: import('../util/log.js').Logger}} options  pinned: the iceServers option
   */
  constructor({ pinned, clock, fetch, log }) {
    this.pinned = pinned !== null;
    this.clock = clock;
    this.fetch = fetch;
    this.log = log;
    /** @type {RTCIceServer[]} */
    this.list = pinned ?? [];
    /** @type {Promise<void> | null} */
    this.ready = pinned ? Promise.resolve() : null;
  }

  /**
   * A route answer's ICE servers, unless the option named them; the edge is then not asked.
   *
   * @param {unknown} servers @param {string} from  which answer, for the log
   */
  useRouted(servers, from) {
    if (servers === undefined || this.pinned) return;
    if (!isIceServerList(servers)) {
      this.log.warn(`${from}: iceServers is not an RTCIceServer list (each {urls: string | string[], ...}); the edge's instead`);
      return;
    }
    this.list = servers;
    this.ready = Promise.resolve();
  }

  /** Known already, or those `edge` offers (2 s at most; none on failure). @param {string} edge */
  load(edge) {
    this.ready ??= (async () => {
      const controller = new AbortController();
      const timer = this.clock.setTimeout(() => controller.abort(), ICE_SERVERS_TIMEOUT_MS);
      try {
        const response = await this.fetch(`${edge}/_edge/ice-servers`, { signal: controller.signal });
        const servers = response.ok ? await response.json() : [];
        this.list = Array.isArray(servers) ? servers : [];
      } catch {
        this.log.info(`no ICE servers from ${edge}: peers connect directly only`);
      } finally {
        this.clock.clearTimeout(timer);
      }
    })();
    return this.ready;
  }
}

/** @param {unknown} value @returns {value is RTCIceServer[]} */
function isIceServerList(value) {
  const isUrls = (/** @type {unknown} */ urls) => typeof urls === 'string'
    || (Array.isArray(urls) && urls.length > 0 && urls.every((url) => typeof url === 'string'));
  return Array.isArray(value) && value.every((server) => typeof server === 'object' && server !== null
    && isUrls(/** @type {{urls?: unknown}} */ (server).urls));
}
