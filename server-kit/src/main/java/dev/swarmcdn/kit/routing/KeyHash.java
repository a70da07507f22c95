package dev.swarmcdn.kit.routing;

import java.nio.charset.StandardCharsets;

/**
 * A fast, well-spread 64-bit hash of a string: FNV-1a over the UTF-8 bytes, then MurmurHash3's
 * 64-bit finaliser, which FNV alone lacks (its high bits mix poorly, and ring positions need them).
 * Stable across JVMs and releases, since every edge must place keys identically.
 */
public final class KeyHash {

  private KeyHash() {}

  public static long of(String value) {
    long hash = 0xcbf29ce484222325L;
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= 0x100000001b3L;
    }
    hash ^= hash >>> 33;
    hash *= 0xff51afd7ed558ccdL;
    hash ^= hash >>> 33;
    hash *= 0xc4ceb9fe1a85ec53L;
    hash ^= hash >>> 33;
    return hash;
  }
}
