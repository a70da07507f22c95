package dev.swarmcdn.edge.forwarding.fill;

import java.util.function.Predicate;

/**
 * Which upstream bodies a fill keeps whole, for the cache, and which it only passes through to the
 * requests waiting for it.
 *
 * @param maxBytes  the largest body kept; a larger one becomes a pass-through, at its head when it
 *                  announces its length, otherwise as it grows past this
 * @param storable  whether the cache will store a response with this head at all
 */
public record Retention(long maxBytes, Predicate<Fill.Head> storable) {

  boolean keepsWhole(Fill.Head head) {
    return storable.test(head) && head.contentLength() <= maxBytes;
  }
}
