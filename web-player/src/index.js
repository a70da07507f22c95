/**
 * The swarmcdn web player: hls.js with a P2P engine. Two ways in:
 * - `<p2p-player src="..." tracker="...">`, a custom element registered when this module loads;
 * - `new P2PEngine(options)`, whose `Loader` an existing hls.js setup passes as `loader`, then
 *   `engine.attach(hls)`.
 * The classic script bundle (player.js) defines all of it as the global `swarmcdn`, hls.js included
 * (`swarmcdn.Hls`).
 */
import Hls from 'hls.js';
import { definePlayerElement } from './element/p2p-player.js';

export * from './peer/frames.js';
export { SwarmEngine } from './engine/engine.js';
export { P2PEngine } from './hls/p2p-engine.js';
export { DEFAULTS as defaultOptions } from './engine/options.js';
export { P2PPlayerElement } from './element/p2p-player.js';
export { Hls };

definePlayerElement();
