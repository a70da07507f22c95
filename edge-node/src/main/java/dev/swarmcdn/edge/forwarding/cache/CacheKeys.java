package dev.swarmcdn.edge.forwarding.cache;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Builds {@link CacheKey}s: host lower-cased without a default port, the raw path, and the query
 * with ignored parameters (access tokens, tracking) removed and the rest sorted by name, so that
 * {@code ?b=2&a=1&token=x} and {@code ?a=1&b=2} share an entry. Parameters that select content, such
 * as low-latency HLS's {@code _HLS_msn} and {@code _HLS_part}, stay.
 */
public final class CacheKeys {

  private final Set<String> ignoredParameters;

  public CacheKeys(Set<String> ignoredParameters) {
    this.ignoredParameters = Set.copyOf(ignoredParameters);
  }

  /**
   * Removes the keys that match from a cache's key view (so its removal listener runs) and counts
   * them: purge by path or prefix, for every tier.
   */
  static int removeMatching(java.util.Set<CacheKey> keys, java.util.function.Predicate<CacheKey> matches) {
    int[] count = {0};
    keys.removeIf(key -> {
      boolean hit = matches.test(key);
      if (hit) {
        count[0]++;
      }
      return hit;
    });
    return count[0];
  }

  public CacheKey of(String host, String path, String rawQuery) {
    return new CacheKey(normaliseHost(host), path, normaliseQuery(rawQuery));
  }

  static String normaliseHost(String host) {
    if (host == null) {
      return "";
    }
    String lower = host.toLowerCase(Locale.ROOT);
    return lower.endsWith(":80") ? lower.substring(0, lower.length() - 3) : lower;
  }

  String normaliseQuery(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return "";
    }
    List<String> kept = new ArrayList<>();
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      if (!ignoredParameters.contains(name)) {
        kept.add(pair);
      }
    }
    // Stable sort by name: repeated parameters keep their relative order, which may carry meaning.
    kept.sort(Comparator.comparing(pair -> {
      int eq = pair.indexOf('=');
      return eq < 0 ? pair : pair.substring(0, eq);
    }));
    return String.join("&", kept);
  }
}
