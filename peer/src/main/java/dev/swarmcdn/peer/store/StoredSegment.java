package dev.swarmcdn.peer.store;

/**
 * A segment held whole: fetched over HTTP, or received from peers and verified.
 *
 * @param data      its bytes; never written after it is stored, never handed out to be written
 * @param p2pBytes  how many of them came from peers (the rest over HTTP)
 */
public record StoredSegment(String swarm, long sequence, byte[] data, long p2pBytes) {
}
