package dev.swarmcdn.protocol.tracker;

import java.util.Locale;

/** What a relayed signal carries: WebRTC's session description (offer, answer) or a candidate. */
public enum SignalKind {
  OFFER, ANSWER, ICE;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @throws IllegalArgumentException for anything but {@code offer}, {@code answer}, {@code ice} */
  public static SignalKind fromWire(String value) {
    for (SignalKind kind : values()) {
      if (kind.wireName().equals(value)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("kind must be offer, answer or ice");
  }
}
