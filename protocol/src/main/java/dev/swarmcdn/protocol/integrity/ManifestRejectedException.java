package dev.swarmcdn.protocol.integrity;

/** A manifest whose signature does not verify, or that was signed by another key. */
public final class ManifestRejectedException extends Exception {

  public ManifestRejectedException(String message) {
    super(message);
  }
}
