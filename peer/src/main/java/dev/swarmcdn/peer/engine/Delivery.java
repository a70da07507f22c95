package dev.swarmcdn.peer.engine;

import dev.swarmcdn.peer.store.StoredSegment;

/**
 * A segment ready for the player.
 *
 * @param data         the whole segment, checked; the engine's own copy: read it, never write it
 * @param httpBytes    how many of its bytes came over HTTP
 * @param p2pBytes     ... from viewers over data channels
 * @param seederBytes  ... from edge seeders over data channels: edge bytes, never P2P
 */
public record Delivery(byte[] data, long httpBytes, long p2pBytes, long seederBytes) {

  /** A segment the store held. */
  public static Delivery of(StoredSegment stored) {
    return new Delivery(stored.data(), stored.httpBytes(), stored.p2pBytes(), stored.seederBytes());
  }
}
