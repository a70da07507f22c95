package dev.swarmcdn.peer.store;

/**
 * A segment held whole: fetched over HTTP, or received over data channels and verified.
 *
 * @param data         its bytes; never written after it is stored, never handed out to be written
 * @param p2pBytes     how many of them came from viewers
 * @param seederBytes  ... from edge seeders over data channels (edge bytes, never P2P); the rest over HTTP
 */
public record StoredSegment(String swarm, long sequence, byte[] data, long p2pBytes, long seederBytes) {

  /** The bytes that came over HTTP. */
  public long httpBytes() {
    return data.length - p2pBytes - seederBytes;
  }
}
