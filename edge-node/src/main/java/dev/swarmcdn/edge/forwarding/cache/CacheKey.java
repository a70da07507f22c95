package dev.swarmcdn.edge.forwarding.cache;

/**
 * What identifies one cached object: host, path and normalised query. GET and HEAD share an entry
 * (a HEAD is answered from the GET's headers), so the method is not part of it. Build it with
 * {@link CacheKeys}.
 */
public record CacheKey(String host, String path, String query) {

  /** Path and query as sent upstream. */
  public String pathAndQuery() {
    return query.isEmpty() ? path : path + "?" + query;
  }

  @Override
  public String toString() {
    return host + pathAndQuery();
  }
}
