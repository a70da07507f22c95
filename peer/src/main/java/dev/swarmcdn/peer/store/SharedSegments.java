package dev.swarmcdn.peer.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Arrays;

/**
 * Lets the engines of one JVM hold one array for a segment they all hold: virtual viewers of a
 * load simulation keep the same live window, which would otherwise be copied once per viewer (about
 * 1.5 MiB each in the 360p rendition). An array is shared only with bytes equal to it, and kept
 * only while some store holds it (weak values). Stores never write the arrays they keep, so sharing
 * them is safe. Thread-safe: engines run on different event loops.
 */
public final class SharedSegments {

  /** Every engine keeps its own arrays: a JVM with one engine has nothing to share. */
  public static final SharedSegments NONE = new SharedSegments(false);

  private record Key(String swarm, long sequence) {
  }

  private final Cache<Key, byte[]> arrays;

  private SharedSegments(boolean sharing) {
    this.arrays = sharing ? Caffeine.newBuilder().weakValues().build() : null;
  }

  /** A pool for the engines that are given it. */
  public static SharedSegments create() {
    return new SharedSegments(true);
  }

  /**
   * The array to keep for {@code data}: one already kept elsewhere with the same bytes, or
   * {@code data} itself, which others are then given.
   */
  public byte[] share(String swarm, long sequence, byte[] data) {
    if (arrays == null) {
      return data;
    }
    byte[] kept = arrays.get(new Key(swarm, sequence), key -> data);
    return kept == data || Arrays.equals(kept, data) ? kept : data;
  }
}
