/**
 * The adapter between hls.js's loader contract (`load(context, config, callbacks)`, `abort()`,
 * `destroy()`, `stats`) and the engine. Media segments the engine handles (segmentRef) come from
 * it; everything else (playlists, init segments, keys, byte ranges, other tracks) goes to the
 * loader hls.js would have used, sharing this loader's `stats` object as hls.js expects.
 */
import { HttpError } from '../engine/http-fetch.js';
import { JobAborted } from '../engine/segment-job.js';

/**
 * @typedef {import('./p2p-engine.js').P2PEngine} P2PEngine
 * @typedef {{aborted: boolean, loaded: number, retry: number, total: number, chunkCount: number,
 *   bwEstimate: number, loading: {start: number, first: number, end: number},
 *   parsing: {start: number, end: number}, buffering: {start: number, first: number, end: number}}} LoaderStats
 */

/** @returns {LoaderStats} */
function newStats() {
  return {
    aborted: false, loaded: 0, retry: 0, total: 0, chunkCount: 0, bwEstimate: 0,
    loading: { start: 0, first: 0, end: 0 },
    parsing: { start: 0, end: 0 },
    buffering: { start: 0, first: 0, end: 0 },
  };
}

/**
 * A loader class bound to `engine`, for hls.js's `loader` or `fLoader` option.
 *
 * @param {P2PEngine} engine
 */
export function createLoaderClass(engine) {
  return class SwarmLoader {
    /** @param {any} hlsConfig */
    constructor(hlsConfig) {
      this.hlsConfig = hlsConfig;
      /** @type {any} */
      this.context = null;
      this.stats = newStats();
      /** @type {any} the hls.js loader that handles what the engine does not */
      this.delegate = null;
      /** @type {any} */
      this.callbacks = null;
      /** @type {(() => void) | null} */
      this.cancel = null;
      /** @type {unknown} */
      this.timer = null;
      /** Counts aborts and destroys: a failover that finishes after one must not load again. */
      this.generation = 0;
    }

    /**
     * @param {any} context  hls.js LoaderContext
     * @param {any} config  hls.js LoaderConfiguration
     * @param {any} callbacks  hls.js LoaderCallbacks
     */
    load(context, config, callbacks) {
      this.context = context;
      this.callbacks = callbacks;
      const ref = engine.fragmentRef(context);
      if (!ref) {
        this.loadElsewhere(context, config, callbacks);
        return;
      }
      const { stats } = this;
      const clock = engine.clock;
      stats.loading.start = clock.now();
      const timeoutMs = config.loadPolicy?.maxLoadTimeMs ?? config.timeout;
      if (timeoutMs > 0 && Number.isFinite(timeoutMs)) {
        this.timer = clock.setTimeout(() => {
          const cb = this.callbacks;
          this.stop();
          cb?.onTimeout(stats, context, null);
        }, timeoutMs);
      }
      // Only HTTP progress is shown to hls.js while loading: its emergency down-switch then judges
      // the network, not peers.
      const job = engine.load(ref, (context.frag.start ?? 0) * 1000, (received, size) => {
        if (!stats.loading.first) stats.loading.first = clock.now();
        stats.loaded = received;
        stats.total = size;
      });
      this.cancel = job.cancel;
      job.promise.then((delivery) => {
        const cb = this.callbacks;
        if (!cb) return;
        this.cancel = null;
        this.stop();
        const end = clock.now();
        Object.assign(stats.loading, engine.timingFor(delivery, end));
        stats.loaded = stats.total = delivery.data.byteLength;
        stats.chunkCount = 1;
        // hls.js hands the buffer to its worker, which detaches it: a copy, never the stored bytes.
        const data = delivery.data.slice().buffer;
        engine.handedOver(ref, delivery, data);
        cb.onSuccess({ url: context.url, data, code: 200 }, stats, context, null);
      }, (error) => {
        const cb = this.callbacks;
        if (!cb || error instanceof JobAborted) return;
        this.stop();
        cb.onError({ code: error instanceof HttpError ? error.status : 0, text: String(error?.message ?? error) },
          context, null, stats);
      });
    }

    /**
     * Hands the request to hls.js's own loader, on the current edge (engine.edges). When the edge
     * fails (a network error, a 5xx, a timeout), the engine moves to the next edge and the request is
     * tried there once; hls.js sees the URL it asked for either way.
     *
     * @param {any} context @param {any} config @param {any} callbacks @param {boolean} [retried]
     */
    loadElsewhere(context, config, callbacks, retried = false) {
      const edges = engine.edges;
      const target = edges.rewrite(context.url);
      const asked = target === context.url ? context : { ...context, url: target };
      const generation = this.generation;
      const Default = engine.defaultLoader(this.hlsConfig);
      this.delegate = new Default(this.hlsConfig);
      // hls.js's loaders refuse stats that already started loading (`Loader can only be used
      // once.`): the try on the next edge starts them afresh, in place, as hls.js holds this object.
      if (retried) Object.assign(this.stats, newStats());
      this.delegate.stats = this.stats;
      /** Tries the next edge, or gives hls.js the failure. @param {() => void} giveUp */
      const failOver = (giveUp) => {
        if (retried || !edges.managed(target)) return giveUp();
        edges.failed(target).then((moved) => {
          if (this.generation !== generation) return; // aborted or destroyed meanwhile
          if (moved) this.loadElsewhere(context, config, callbacks, true);
          else giveUp();
        });
      };
      this.delegate.load(asked, config, {
        ...callbacks,
        onSuccess: (/** @type {any} */ response, /** @type {any} */ stats, /** @type {any} */ _ctx, /** @type {any} */ details) => {
          const url = asked === context ? response.url ?? context.url : context.url;
          engine.passedBy(context, url, response.data);
          callbacks.onSuccess(asked === context ? response : { ...response, url }, stats, context, details);
        },
        onError: (/** @type {any} */ error, /** @type {any} */ _ctx, /** @type {any} */ details, /** @type {any} */ stats) => {
          const giveUp = () => callbacks.onError(error, context, details, stats);
          // A 4xx is the request's fault: another edge would refuse it too.
          if (error.code === 0 || error.code >= 500) failOver(giveUp);
          else giveUp();
        },
        onTimeout: (/** @type {any} */ stats, /** @type {any} */ _ctx, /** @type {any} */ details) =>
          failOver(() => callbacks.onTimeout(stats, context, details)),
      });
    }

    abort() {
      this.generation++;
      if (this.delegate) {
        this.delegate.abort();
        return;
      }
      const cb = this.callbacks;
      if (!cb) return;
      this.stop();
      this.stats.aborted = true;
      cb.onAbort?.(this.stats, this.context, null);
    }

    destroy() {
      this.generation++;
      if (this.delegate) {
        this.delegate.destroy();
        this.delegate = null;
      }
      this.stop();
    }

    /** Stops the engine's work for this request and silences every callback. */
    stop() {
      engine.clock.clearTimeout(this.timer);
      this.cancel?.();
      this.cancel = null;
      this.callbacks = null;
    }

    getCacheAge() {
      return this.delegate?.getCacheAge?.() ?? null;
    }

    /** @param {string} name */
    getResponseHeader(name) {
      return this.delegate?.getResponseHeader?.(name) ?? null;
    }
  };
}
