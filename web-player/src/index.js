/**
 * The swarmcdn web player. For now it exports the peer frame codec; the P2P engine and its hls.js
 * loader join it here as they arrive.
 */
export * from './peer/frames.js';
