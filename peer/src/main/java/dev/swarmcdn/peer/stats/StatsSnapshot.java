package dev.swarmcdn.peer.stats;

import java.util.List;
import java.util.Map;

/**
 * What an engine did, with the fields of the browser engine's {@code getStats()} (web-player
 * README, "Statistics"), so a desktop peer's {@code /stats} reads like a page's.
 *
 * @param deliveredHttp  segment bytes handed to the player that came over HTTP; each segment once
 * @param deliveredP2p   ... that came from viewers over data channels
 * @param deliveredSeeder ... that came from edge seeders over data channels: edge bytes, never P2P
 * @param segmentsHttp   segments handed over, most of whose bytes came over HTTP
 * @param segmentsP2p    ... from viewers
 * @param segmentsSeeder ... from edge seeders
 * @param downloadedHttp bytes received over HTTP, including bytes thrown away
 * @param downloadedP2p  bytes received from viewers, including bytes thrown away
 * @param downloadedSeeder bytes received from edge seeders, including bytes thrown away
 * @param uploaded       bytes served to peers
 * @param peers          connected viewers (edge seeders apart: a seeder is the edge, not the swarm)
 * @param seeders        connected edge seeders
 * @param p2pShare       deliveredP2p over all delivered (HTTP, viewers and seeders), 0 before any
 * @param rescues        segments (or their rest) asked of an edge seeder instead of HTTP
 * @param assignedFetches segments the tracker assigned to this viewer, fetched ahead of the player
 * @param edgeFailovers  times the engine moved to another edge after its edge failed
 * @param trackerFailovers times its tracker connection came back on another tracker
 * @param history        per second for the last 120 s
 */
public record StatsSnapshot(long deliveredHttp, long deliveredP2p, long deliveredSeeder, long segmentsHttp,
    long segmentsP2p, long segmentsSeeder, long downloadedHttp, long downloadedP2p, long downloadedSeeder, long uploaded, double p2pShare, int peers, int seeders, String swarm,
    String tracker, long integrityFailures, long rescues, long assignedFetches,
    long edgeFailovers, long trackerFailovers,
    Map<FallbackReason, Long> fallbacks, int p2pInFlight,
    int uploadsActive, List<Second> history) {

  public StatsSnapshot {
    fallbacks = Map.copyOf(fallbacks);
    history = List.copyOf(history);
  }

  /** One second of history: bytes received over HTTP, from viewers and from seeders, and served, in that second. */
  public record Second(long t, long http, long p2p, long seeder, long upload) {
  }
}
