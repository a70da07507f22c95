package dev.swarmcdn.peer.upload;

/**
 * Rewrites the bytes this peer serves. For tests and the swarm benchmark's liar only: an engine has
 * none unless one is given to it.
 */
@FunctionalInterface
public interface UploadTamper {
  byte[] rewrite(long sequence, byte[] payload);
}
