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
 */
public record JoinDetails(String edge, int uploadSlots, Long have, List<PeerReport> reports) {

  public JoinDetails {
    reports = List.copyOf(reports);
  }

  JoinDetails withoutReports() {
    return reports.isEmpty() ? this : new JoinDetails(edge, uploadSlots, have, List.of());
  }

  JoinDetails withHave(long newest) {
    return new JoinDetails(edge, uploadSlots, newest, reports);
  }
}
