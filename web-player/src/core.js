/**
 * The P2P engine without hls.js, for pages that bring their own (`@swarmcdn/web-player/core`):
 * `new P2PEngine(options)`, whose `Loader` that hls.js takes as `loader`, then `engine.attach(hls)`.
 * Nothing here imports hls.js, so a bundler keeps one copy of it: the page's.
 */
export * from './peer/frames.js';
export { P2PEngine } from './engine/engine.js';
export { DEFAULTS as defaultOptions } from './engine/options.js';
