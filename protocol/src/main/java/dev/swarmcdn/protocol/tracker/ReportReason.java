package dev.swarmcdn.protocol.tracker;

import java.util.Locale;

/** Why a peer reports another it dropped (docs/PROTOCOL.md, {@code join}'s {@code reports}). */
public enum ReportReason {
  /** It sent a segment whose bytes failed the integrity check. */
  INTEGRITY;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @throws IllegalArgumentException for a reason this version does not know */
  public static ReportReason fromWire(String value) {
    for (ReportReason reason : values()) {
      if (reason.wireName().equals(value)) {
        return reason;
      }
    }
    throw new IllegalArgumentException("unknown report reason");
  }
}
