package dev.swarmcdn.tracker.webtorrent;

import dev.swarmcdn.protocol.tracker.ErrorCode;

/**
 * A message the tracker refuses, with what the failure frame can say about it: the code it is
 * counted under, the {@code action} and the {@code info_hash} when they could be read (a client
 * sharing one socket among several swarms tells its failures apart by them).
 */
public final class WebTorrentRefusal extends Exception {

  private final ErrorCode code;
  private final String action;
  private final BinaryId infoHash;

  public WebTorrentRefusal(ErrorCode code, String reason, String action, BinaryId infoHash) {
    super(reason, null, false, false);
    this.code = code;
    this.action = action;
    this.infoHash = infoHash;
  }

  public ErrorCode code() {
    return code;
  }

  /** {@code announce} or {@code scrape}, or null. */
  public String action() {
    return action;
  }

  /** Or null. */
  public BinaryId infoHash() {
    return infoHash;
  }
}
