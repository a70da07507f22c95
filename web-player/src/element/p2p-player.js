/**
 * <p2p-player src="..." tracker="...">: a video element playing an HLS stream with hls.js and the
 * P2P engine. Attributes map onto the engine's options (README); `controls`, `muted`, `autoplay`
 * pass to the video. The element measures what a viewer sees: time to the first frame and stalls.
 *
 * Properties: `engine`, `hls`, `video`, `getStats()`; a `stats` event every second (detail: the
 * same as getStats()).
 */
import Hls from 'hls.js';
import { P2PEngine } from '../hls/p2p-engine.js';

/** Attribute -> [engine option, kind]. */
const OPTION_ATTRIBUTES = /** @type {const} */ ({
  tracker: ['tracker', 'string'],
  trackers: ['trackers', 'list'],
  route: ['route', 'string'],
  'swarm-id': ['swarmId', 'string'],
  p2p: ['p2p', 'boolean'],
  upload: ['upload', 'boolean'],
  'max-peers': ['maxPeers', 'number'],
  'http-window': ['httpWindow', 'number'],
  'p2p-window': ['p2pWindow', 'number'],
  'max-upload-rate': ['maxUploadRate', 'number'],
  'upload-slots': ['uploadSlots', 'number'],
  'seed-share': ['seedShare', 'number'],
  'log-level': ['logLevel', 'string'],
  'ice-transport-policy': ['iceTransportPolicy', 'string'],
});
const VIDEO_ATTRIBUTES = ['controls', 'muted', 'autoplay'];
/**
 * hls.js settings the element starts from (its `hlsConfig` overrides them): live playback one
 * segment further behind the live edge than hls.js's default 3, so that a new segment has time to
 * reach a viewer from the peer that fetched it first (a viewer sees a new segment up to one
 * playlist refresh, a target duration, after another).
 */
const HLS_DEFAULTS = { liveSyncDurationCount: 4 };
/**
 * Where the end-to-end tests put their hooks on an element (engine.js `TestHooks`): a symbol of the
 * global registry, so that a page with the classic bundle reaches it, and no property or option
 * of the API.
 */
const TEST_HOOKS = Symbol.for('swarmcdn.testHooks');

/**
 * @typedef {{firstFrameMs: number | null, startupMs: number | null, stalls: number, stalledMs: number,
 *   longestStallMs: number, currentTime: number, level: string | null}} PlayerStats
 *   firstFrameMs: since navigation start; startupMs: since the element started loading
 * @typedef {import('../stats/stats.js').StatsSnapshot & {player: PlayerStats}} ElementStats
 */

/** Reads the engine options the element's attributes set. @param {Element} element */
function optionsFromAttributes(element) {
  /** @type {Record<string, unknown>} */
  const options = {};
  for (const [attribute, [option, kind]] of Object.entries(OPTION_ATTRIBUTES)) {
    const value = element.getAttribute(attribute);
    if (value === null) continue;
    options[option] = kind === 'number' ? Number(value)
      : kind === 'boolean' ? !/^(off|false|no|0)$/i.test(value)
        : kind === 'list' ? value.split(',').map((url) => url.trim()).filter(Boolean)
          : value;
  }
  return /** @type {import('../engine/options.js').EngineOptions} */ (options);
}

const Base = typeof HTMLElement === 'undefined' ? /** @type {typeof HTMLElement} */ (/** @type {unknown} */ (class {})) : HTMLElement;

export class P2PPlayerElement extends Base {
  static get observedAttributes() {
    return ['src', ...Object.keys(OPTION_ATTRIBUTES)];
  }

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    root.innerHTML = '<style>:host{display:block}video{width:100%;height:100%;background:#000;display:block}</style>';
    this.video = document.createElement('video');
    this.video.playsInline = true;
    root.append(this.video);
    /** @type {P2PEngine | null} */
    this.engine = null;
    /** @type {Hls | null} */
    this.hls = null;
    /** Extra hls.js configuration, set before the element is connected. @type {Record<string, unknown>} */
    this.hlsConfig = {};
    /** Engine options beyond the attributes (e.g. iceServers), set before connecting. @type {import('../engine/options.js').EngineOptions} */
    this.options = {};
    /** @type {Omit<PlayerStats, 'currentTime' | 'level'>} */
    this.player = { firstFrameMs: null, startupMs: null, stalls: 0, stalledMs: 0, longestStallMs: 0 };
    /** @type {unknown} */
    this.statsTimer = null;
    /** @type {number} */
    this.generation = 0;
    this.restarting = false;
  }

  connectedCallback() {
    this.restart();
  }

  disconnectedCallback() {
    this.stop();
  }

  /** @param {string} name @param {string | null} old @param {string | null} value */
  attributeChangedCallback(name, old, value) {
    if (old !== value && this.isConnected) this.restart();
  }

  /** Starts over once the current task is done, so that attributes set together cause one start. @private */
  restart() {
    if (this.restarting) return;
    this.restarting = true;
    queueMicrotask(() => {
      this.restarting = false;
      if (this.isConnected) this.start();
    });
  }

  /** Engine statistics and what the viewer saw. @returns {ElementStats | null} */
  getStats() {
    if (!this.engine) return null;
    const level = this.hls && this.hls.currentLevel >= 0 ? this.hls.levels[this.hls.currentLevel] : null;
    return {
      ...this.engine.getStats(),
      player: {
        ...this.player,
        currentTime: this.video.currentTime,
        level: level ? `${level.height}p` : null,
      },
    };
  }

  /** @private */
  async start() {
    this.stop();
    const generation = ++this.generation;
    const src = this.getAttribute('src');
    if (!src) return;
    for (const name of VIDEO_ATTRIBUTES) {
      /** @type {any} */ (this.video)[name] = this.hasAttribute(name);
    }
    this.player = { firstFrameMs: null, startupMs: null, stalls: 0, stalledMs: 0, longestStallMs: 0 };
    const startedAt = performance.now();
    const engine = new P2PEngine({ ...optionsFromAttributes(this), ...this.options },
      { hooks: /** @type {any} */ (this)[TEST_HOOKS] });
    this.engine = engine;
    engine.countStallsWith(() => this.player.stalls);
    this.watchPlayback(startedAt, generation);
    this.statsTimer = setInterval(() => this.dispatchEvent(new CustomEvent('stats', { detail: this.getStats() })), 1000);
    // With `route`, /route names the edge, so the playlists wait for its answer: one round trip,
    // while hls.js opens its MediaSource on the video.
    const resolving = engine.resolve(src).catch((e) => {
      engine.log.error('route failed, loading the stream as given:', /** @type {Error} */ (e).message);
      return new URL(src, location.href).href;
    });
    if (this.video.canPlayType('application/vnd.apple.mpegurl') && !Hls.isSupported()) {
      const url = await resolving;
      if (generation === this.generation) this.video.src = url; // Safari on iOS without MSE: native HLS, no P2P.
      return;
    }
    const hls = new Hls({ ...HLS_DEFAULTS, ...this.hlsConfig, loader: engine.Loader });
    this.hls = hls;
    engine.attach(hls);
    hls.attachMedia(this.video);
    const url = await resolving;
    if (generation !== this.generation) return; // stopped meanwhile: hls destroyed
    hls.loadSource(url);
  }

  /** @private */
  stop() {
    this.generation++;
    clearInterval(/** @type {any} */ (this.statsTimer));
    this.hls?.destroy();
    this.engine?.destroy();
    this.hls = null;
  }

  /**
   * First frame (requestVideoFrameCallback where there is one, else 'playing') and stalls: a
   * 'waiting' after the first frame, while not paused or seeking, until playback goes on.
   *
   * @private @param {number} startedAt @param {number} generation
   */
  watchPlayback(startedAt, generation) {
    const video = this.video;
    const firstFrame = () => {
      if (generation !== this.generation || this.player.firstFrameMs !== null) return;
      const now = performance.now();
      this.player.firstFrameMs = now;
      this.player.startupMs = now - startedAt;
    };
    if (typeof video.requestVideoFrameCallback === 'function') video.requestVideoFrameCallback(firstFrame);
    else video.addEventListener('playing', firstFrame, { once: true });
    /** @type {number | null} */
    let stalledAt = null;
    const endStall = () => {
      if (stalledAt === null || generation !== this.generation) return;
      const ms = performance.now() - stalledAt;
      this.player.stalledMs += ms;
      this.player.longestStallMs = Math.max(this.player.longestStallMs, ms);
      stalledAt = null;
    };
    video.addEventListener('waiting', () => {
      if (generation !== this.generation || this.player.firstFrameMs === null || video.paused || video.seeking
          || stalledAt !== null) return;
      stalledAt = performance.now();
      this.player.stalls++;
    });
    video.addEventListener('playing', endStall);
    video.addEventListener('seeked', endStall);
  }
}

/** Registers <p2p-player> (once). */
export function definePlayerElement() {
  if (typeof customElements !== 'undefined' && !customElements.get('p2p-player')) {
    customElements.define('p2p-player', P2PPlayerElement);
  }
}
