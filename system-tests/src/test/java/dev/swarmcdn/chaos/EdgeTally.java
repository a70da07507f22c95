package dev.swarmcdn.chaos;

import dev.swarmcdn.peer.testing.Scrape;

/**
 * An edge's requests by how its cache answered them ({@code edge_requests_total{cache}} of its
 * /metrics): two tallies apart are what it served in between.
 */
record EdgeTally(long hit, long stale, long miss, long error) {
  static final EdgeTally NONE = new EdgeTally(0, 0, 0, 0);

  static EdgeTally of(PartProcess edge) throws Exception {
    Scrape scrape = Scrape.of(edge.url());
    return new EdgeTally(count(scrape, "hit"), count(scrape, "stale"), count(scrape, "miss"), count(scrape, "error"));
  }

  private static long count(Scrape scrape, String cache) {
    return (long) scrape.value("edge_requests_total\\{[^}]*cache=\"" + cache + "\"[^}]*\\}");
  }

  EdgeTally minus(EdgeTally earlier) {
    return new EdgeTally(hit - earlier.hit, stale - earlier.stale, miss - earlier.miss, error - earlier.error);
  }

  EdgeTally plus(EdgeTally other) {
    return new EdgeTally(hit + other.hit, stale + other.stale, miss + other.miss, error + other.error);
  }

  /** Requests answered with an object (fresh, stale, or fetched). */
  long served() {
    return hit + stale + miss;
  }

  @Override
  public String toString() {
    return served() + " (" + hit + " hit, " + stale + " stale, " + miss + " miss), " + error + " errors";
  }
}
