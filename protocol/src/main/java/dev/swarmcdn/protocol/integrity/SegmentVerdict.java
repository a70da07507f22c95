package dev.swarmcdn.protocol.integrity;

/** What a verified manifest says about the bytes received for one URI. */
public enum SegmentVerdict {
  /** Listed, and size and SHA-256 match: the bytes may be played and passed on. */
  MATCHES,
  /** Listed, but the bytes differ: whoever sent them sent a bad segment. */
  MISMATCH,
  /** Not listed in this manifest (e.g. newer than it): fetch a fresh manifest before judging. */
  UNKNOWN
}
