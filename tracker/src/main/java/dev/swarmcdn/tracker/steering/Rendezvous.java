package dev.swarmcdn.tracker.steering;

import dev.swarmcdn.protocol.tracker.SwarmId;
import java.nio.charset.StandardCharsets;
import java.util.Collection;

/**
 * Which instance of a cluster steers a swarm: rendezvous (highest random weight) hashing of the
 * swarm over the instances' ids. Every instance that sees the same members picks the same one, and
 * when one leaves only the swarms it steered move (each to the next by hash); when one joins, only
 * the swarms it now wins.
 */
public final class Rendezvous {

  private Rendezvous() {}

  /** The steering instance of {@code swarm} among {@code nodes}; null when there is none. */
  public static String owner(SwarmId swarm, Collection<String> nodes) {
    // Length-prefixed: "a/b" + "c" and "a" + "b/c" stay two swarms.
    long key = hash(swarm.stream().length() + ":" + swarm.stream() + "/" + swarm.rendition());
    String best = null;
    long bestWeight = 0;
    for (String node : nodes) {
      long weight = mix(key ^ mix(hash(node)));
      if (best == null || Long.compareUnsigned(weight, bestWeight) > 0
          || (weight == bestWeight && node.compareTo(best) < 0)) {
        best = node;
        bestWeight = weight;
      }
    }
    return best;
  }

  /** FNV-1a, 64 bits, of the UTF-8 bytes. */
  private static long hash(String text) {
    long hash = 0xcbf29ce484222325L;
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= 0x100000001b3L;
    }
    return hash;
  }

  /** SplitMix64's finaliser: every input bit moves every output bit. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
