/**
 * The Java peer engine: the same swarm, scheduler, store and jobs as the browser engine
 * (web-player/src), on webrtc-java data channels, and what stands on it - the desktop peer that
 * serves any player on a local port, and virtual viewers for load simulations.
 *
 * <p>An engine is confined to one Vert.x event-loop context, as the browser engine is to its page's
 * thread: every callback (WebRTC's native threads, HTTP, timers) is handed to that context before
 * it touches engine state, so the core needs no locks.
 */
package dev.swarmcdn.peer;
