package dev.swarmcdn.edge.forwarding.cache;

import io.vertx.core.MultiMap;
import java.util.Locale;
import java.util.Set;

/**
 * Which upstream headers a cache keeps and replays: the end-to-end ones. Hop-by-hop headers
 * (RFC 9110 section 7.6.1) belong to one connection; Age is recomputed on every use.
 */
public final class StoredHeaders {

  private static final Set<String> NOT_STORED = Set.of(
      "connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer",
      "upgrade", "proxy-authenticate", "proxy-authorization", "age", "set-cookie");

  private StoredHeaders() {}

  public static MultiMap of(MultiMap upstream) {
    MultiMap kept = MultiMap.caseInsensitiveMultiMap();
    upstream.forEach(entry -> {
      if (!NOT_STORED.contains(entry.getKey().toLowerCase(Locale.ROOT))) {
        kept.add(entry.getKey(), entry.getValue());
      }
    });
    return kept;
  }

  /** RFC 9111 section 3.2: a 304's headers replace the stored ones of the same name. */
  public static MultiMap merge(MultiMap stored, MultiMap fromNotModified) {
    MultiMap merged = MultiMap.caseInsensitiveMultiMap().addAll(stored);
    MultiMap update = of(fromNotModified);
    // Content-Length of a 304 describes nothing we hold.
    update.remove("Content-Length");
    for (String name : update.names()) {
      merged.set(name, update.getAll(name));
    }
    return merged;
  }
}
