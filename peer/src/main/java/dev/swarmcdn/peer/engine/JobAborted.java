package dev.swarmcdn.peer.engine;

/** Why a job ended without a segment and without an HTTP error; keeps the bytes that had arrived. */
public final class JobAborted extends RuntimeException {
  private final transient Partial partial;

  JobAborted(String why, Partial partial) {
    super(why, null, false, false);
    this.partial = partial;
  }

  Partial partial() {
    return partial;
  }
}
