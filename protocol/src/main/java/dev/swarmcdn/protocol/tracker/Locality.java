package dev.swarmcdn.protocol.tracker;

import java.util.Locale;

/**
 * How close a listed peer is to the peer that asked, as far as the tracker can tell; the order of
 * the constants is the order of preference.
 */
public enum Locality {
  /** Behind the same edge. */
  EDGE,
  /** In the same network prefix (/24 IPv4, /48 IPv6). */
  NETWORK,
  /** Anywhere else. */
  ANY;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @throws IllegalArgumentException for an unknown name */
  public static Locality fromWire(String value) {
    for (Locality locality : values()) {
      if (locality.wireName().equals(value)) {
        return locality;
      }
    }
    throw new IllegalArgumentException("locality must be edge, network or any");
  }
}
