package dev.swarmcdn.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.swarmcdn.protocol.tracker.ClientMessage;
import dev.swarmcdn.protocol.tracker.ErrorCode;
import dev.swarmcdn.protocol.tracker.PeerInfo;
import dev.swarmcdn.protocol.tracker.PeerReport;
import dev.swarmcdn.protocol.tracker.ReportReason;
import dev.swarmcdn.protocol.tracker.ServerMessage;
import dev.swarmcdn.protocol.tracker.SwarmId;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Reports in join frames over real WebSockets: who stops being listed to whom, and what is refused. */
class PeerReportsTest {

  private static final SwarmId SWARM = new SwarmId("demo", "360p");
  private static final SwarmId OTHER = new SwarmId("demo", "720p");

  private RunningTracker tracker;

  @AfterEach
  void stop() throws Exception {
    if (tracker != null) {
      tracker.close();
    }
  }

  private static List<String> ids(ServerMessage.Peers peers) {
    return peers.peers().stream().map(PeerInfo::peerId).sorted().toList();
  }

  private static List<String> sorted(String... ids) {
    return List.of(ids).stream().sorted().toList();
  }

  /** Joins (again), reporting {@code reported} for failed integrity checks. */
  private static ServerMessage.Peers joinReporting(TestPeer peer, SwarmId swarm, String... reported)
      throws Exception {
    List<PeerReport> reports = List.of(reported).stream()
        .map(id -> new PeerReport(id, ReportReason.INTEGRITY)).toList();
    peer.send(new ClientMessage.Join(swarm, "edge-1", 2, null, null, reports));
    return peer.next(ServerMessage.Peers.class);
  }

  private double reportsCounted() {
    return tracker.registry().get("tracker.peer.reports").tag("reason", "integrity").counter().count();
  }

  @Test
  void aReporterIsNeverHandedThePeerItReportedAgain() throws Exception {
    tracker = RunningTracker.start(TrackerConfig.builder());
    TestPeer bad = tracker.peer();
    TestPeer reporter = tracker.peer();
    TestPeer other = tracker.peer();
    bad.join(SWARM, "edge-1", 2, null);
    bad.join(OTHER, "edge-1", 2, null);
    reporter.join(OTHER, "edge-1", 2, null);
    assertEquals(sorted(bad.peerId()), ids(reporter.join(SWARM, "edge-1", 2, null)));

    assertEquals(List.of(), ids(joinReporting(reporter, SWARM, bad.peerId())), "the answer to the report already");
    assertEquals(List.of(), ids(reporter.join(SWARM, "edge-1", 2, null)), "and every later list");
    assertEquals(sorted(bad.peerId(), reporter.peerId()), ids(other.join(SWARM, "edge-1", 2, null)),
        "one report hides a peer from its reporter only");
    assertEquals(sorted(bad.peerId()), ids(reporter.join(OTHER, "edge-1", 2, null)),
        "a report holds in the swarm it was made in");
    assertEquals(1, reportsCounted());
  }

  @Test
  void aPeerReportedByEnoughDistinctPeersIsListedToNobody() throws Exception {
    tracker = RunningTracker.start(TrackerConfig.builder().hideAfterReports(2));
    TestPeer bad = tracker.peer();
    TestPeer first = tracker.peer();
    TestPeer second = tracker.peer();
    TestPeer bystander = tracker.peer();
    bad.join(SWARM, "edge-1", 2, null);
    first.join(SWARM, "edge-1", 2, null);
    second.join(SWARM, "edge-1", 2, null);

    joinReporting(first, SWARM, bad.peerId());
    joinReporting(first, SWARM, bad.peerId());
    assertEquals(sorted(bad.peerId(), first.peerId(), second.peerId()), ids(bystander.join(SWARM, "edge-1", 2, null)),
        "one reporter, however often it reports, is not two");
    assertEquals(1, reportsCounted(), "a repeated report is not counted again");

    assertEquals(sorted(first.peerId(), bystander.peerId()), ids(joinReporting(second, SWARM, bad.peerId())));
    assertEquals(sorted(first.peerId(), second.peerId()), ids(bystander.join(SWARM, "edge-1", 2, null)));
    TestPeer newcomer = tracker.peer();
    assertEquals(sorted(first.peerId(), second.peerId(), bystander.peerId()),
        ids(newcomer.join(SWARM, "edge-1", 2, null)), "nor to peers that join later");
    assertEquals(2, reportsCounted());

    // Reports say whom others should not fetch from: the reported peer's own list stays whole.
    assertEquals(sorted(first.peerId(), second.peerId(), bystander.peerId(), newcomer.peerId()),
        ids(bad.join(SWARM, "edge-1", 2, null)));
  }

  @Test
  void reportsOfStrangersOrOfOneselfChangeNothing() throws Exception {
    tracker = RunningTracker.start(TrackerConfig.builder().hideAfterReports(1));
    TestPeer elsewhere = tracker.peer();
    TestPeer member = tracker.peer();
    TestPeer reporter = tracker.peer();
    elsewhere.join(OTHER, "edge-1", 2, null);
    member.join(SWARM, "edge-1", 2, null);
    reporter.join(SWARM, "edge-1", 2, null);

    ServerMessage.Peers list = joinReporting(reporter, SWARM, reporter.peerId(), elsewhere.peerId(),
        "Tm9ib2R5LWF0LWFsbA");
    assertEquals(sorted(member.peerId()), ids(list));
    assertEquals(0, reportsCounted());
    // A member of the other swarm joining this one later was not reported in it.
    assertEquals(sorted(member.peerId(), reporter.peerId()), ids(elsewhere.join(SWARM, "edge-1", 2, null)));
    assertEquals(sorted(member.peerId(), elsewhere.peerId()), ids(reporter.join(SWARM, "edge-1", 2, null)));
  }

  @Test
  void malformedReportsRefuseTheJoinLikeAnyOtherBadField() throws Exception {
    tracker = RunningTracker.start(TrackerConfig.builder());
    TestPeer member = tracker.peer();
    member.join(SWARM, "edge-1", 2, null);
    TestPeer sender = tracker.peer();
    String join = "{\"v\":1,\"type\":\"join\",\"swarm\":\"demo\",\"rendition\":\"360p\",\"edge\":\"edge-1\","
        + "\"uploadSlots\":2,\"reports\":";
    String report = "{\"peerId\":\"" + member.peerId() + "\",\"reason\":\"integrity\"}";
    List<String> refused = List.of(
        "\"" + member.peerId() + "\"",
        "[{\"peerId\":\"" + member.peerId() + "\",\"reason\":\"slow\"}]",
        "[{\"peerId\":\"" + member.peerId() + "\"}]",
        "[{\"peerId\":\"not base64url!\",\"reason\":\"integrity\"}]",
        "[" + String.join(",", Collections.nCopies(17, report)) + "]");
    for (String reports : refused) {
      sender.sendRaw(join + reports + "}");
      sender.expectError(ErrorCode.MALFORMED, "join");
    }
    sender.expectNothingMore();
    assertEquals(refused.size(), tracker.errors("malformed"));
    assertEquals(List.of(), ids(member.join(SWARM, "edge-1", 2, null)), "a refused join admits nobody");
    assertEquals(0, reportsCounted());

    sender.sendRaw(join + "[" + String.join(",", Collections.nCopies(16, report)) + "]}");
    assertEquals(sorted(), ids(sender.next(ServerMessage.Peers.class)), "16 reports are allowed");
    assertEquals(1, reportsCounted(), "one peer named 16 times is one report");
  }
}
