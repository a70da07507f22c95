/**
 * The engine as hls.js sees it: a SwarmEngine with `Loader`, the class hls.js takes as `loader`
 * (or `fLoader`), and `attach(hls)`, which feeds the engine what hls.js knows: its media element
 * (the playhead), the playlists it loads (renditions, segments) and its destruction.
 */
import { SwarmEngine } from '../engine/engine.js';
import { renditionOf, segmentRequestOf } from './fragments.js';
import { createLoaderClass } from './loader.js';
import { timingFor } from './timing.js';

/**
 * @typedef {import('../engine/player-contract.js').SegmentRef} SegmentRef
 * @typedef {import('../engine/player-contract.js').Delivery} Delivery
 */

export class P2PEngine extends SwarmEngine {
  /**
   * @param {import('../engine/options.js').EngineOptions} [options]
   * @param {import('../engine/engine.js').Environment} [env]  tests only
   */
  constructor(options = {}, env = {}) {
    super(options, env);
    /** @type {any} the hls.js instance, once attached */
    this.hls = null;
    /** @type {any} hls.js's own loader class */
    this.DefaultLoader = null;
    /** A class for hls.js's `loader` (or `fLoader`) option, bound to this engine. */
    this.Loader = createLoaderClass(this);
  }

  /**
   * Follows an hls.js instance: its media element (the playhead), its playlists (renditions,
   * segments) and its destruction. Call it right after `new Hls(...)`, before `loadSource`.
   *
   * @param {any} hls
   */
  attach(hls) {
    this.hls = hls;
    this.DefaultLoader = hls.constructor?.DefaultConfig?.loader ?? null;
    if (hls.media) this.followPlayhead(hls.media);
    /** @type {Array<[string, (event: string, data: any) => void]>} */
    const handlers = [
      ['hlsMediaAttached', (_, data) => this.followPlayhead(data.media)],
      ['hlsMediaDetaching', () => this.followPlayhead(null)],
      ['hlsLevelLoaded', (_, data) => this.renditionLoaded(renditionOf(data), data.level === hls.loadLevel)],
      ['hlsDestroying', () => this.destroy()],
    ];
    for (const [event, handler] of handlers) {
      hls.on(event, handler);
      this.cleanups.push(() => hls.off(event, handler));
    }
    return this;
  }

  /** The loader hls.js would use without us. @param {any} hlsConfig */
  defaultLoader(hlsConfig) {
    const candidate = this.DefaultLoader ?? (hlsConfig.loader !== this.Loader ? hlsConfig.loader : null);
    if (!candidate) throw new Error('swarmcdn: call engine.attach(hls) before hls.loadSource()');
    return candidate;
  }

  /**
   * The segment an hls.js request is for, when the engine handles it: media segments of the main
   * rendition, whole (no byte range), with P2P on. Anything else stays with hls.js.
   *
   * @param {any} context  hls.js LoaderContext
   * @returns {SegmentRef | null}
   */
  fragmentRef(context) {
    const request = segmentRequestOf(context, this.hls?.levels);
    return request && this.segmentRef(request);
  }

  /**
   * What hls.js's own loader fetched for us: a playlist's text may name its integrity manifest; a
   * media segment of the main rendition (P2P off) counts as HTTP bytes delivered.
   *
   * @param {any} context  hls.js LoaderContext
   * @param {string} url
   * @param {unknown} data
   */
  passedBy(context, url, data) {
    if (typeof data === 'string') {
      this.playlistFetched(url, data);
    } else if (data instanceof ArrayBuffer && context.frag?.type === 'main' && typeof context.frag.sn === 'number') {
      this.segmentFetched(data.byteLength);
    }
  }

  /**
   * hls.js's stats.loading for a delivered segment (./timing.js).
   *
   * @param {Delivery} delivery @param {number} end  when the segment is handed over
   */
  timingFor(delivery, end) {
    return timingFor(delivery, end, this.http, this.hls?.bandwidthEstimate);
  }
}
