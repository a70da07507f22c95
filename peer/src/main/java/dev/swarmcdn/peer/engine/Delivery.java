package dev.swarmcdn.peer.engine;

/**
 * A segment ready for the player.
 *
 * @param data       the whole segment, checked; the engine's own copy: read it, never write it
 * @param httpBytes  how many of its bytes came over HTTP
 * @param p2pBytes   ... from peers
 */
public record Delivery(byte[] data, long httpBytes, long p2pBytes) {
}
