package dev.swarmcdn.peer.tracker;

import dev.swarmcdn.protocol.tracker.PeerReport;
import java.util.List;

/**
 * What a join says besides the swarm.
 *
 * @param edge         the edge this peer loads from (its id, or its base URL)
 * @param uploadSlots  free upload slots
 * @param have         the newest segment held, or null
 * @param reports      peers dropped for cause since the previous join; sent once, never again
 * @param live         the playlist is live: the tracker may steer the swarm
 * @param seeder       an edge seeder joins (its connection carries the edge secret)
 */
public record JoinDetails(String edge, int uploadSlots, Long have, List<PeerReport> reports, boolean live,
    boolean seeder) {

  public JoinDetails {
    reports = List.copyOf(reports);
  }

  JoinDetails withoutReports() {
    return reports.isEmpty() ? this : new JoinDetails(edge, uploadSlots, have, List.of(), live, seeder);
  }

  JoinDetails withHave(long newest) {
    return new JoinDetails(edge, uploadSlots, newest, reports, live, seeder);
  }
}
