/**
 * The P2P engine without hls.js, for pages that bring their own (`@swarmcdn/web-player/core`):
 * `new P2PEngine(options)`, whose `Loader` that hls.js takes as `loader`, then `engine.attach(hls)`.
 * Nothing here imports hls.js, so a bundler keeps one copy of it: the page's. `SwarmEngine` is the
 * engine without the hls.js integration, for another player's (engine/player-contract.js).
 */
export * from './peer/frames.js';
export { SwarmEngine } from './engine/engine.js';
export { P2PEngine } from './hls/p2p-engine.js';
export { DEFAULTS as defaultOptions } from './engine/options.js';
