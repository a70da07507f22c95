package dev.swarmcdn.peer.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's decisions with made-up times, with the expectations of
 * web-player/test/scheduler.test.js: HTTP vs peers, deadlines, abandoning transfers, peer scores,
 * prefetch choices.
 */
class SchedulerTest {
  private static final long SEGMENT = 250_000;

  private static Candidate candidate(String id) {
    return new Candidate(id, new PeerScore());
  }

  private static Candidate candidate(String id, PeerScore score) {
    return new Candidate(id, score);
  }

  /** planSegment with the JS test's defaults: now 10 s, deadline 12 s, 2 peers, live, not a seeder. */
  private static Plan plan(long deadline, List<Candidate> holders, int fetchers, int peers, boolean live, boolean seed) {
    return Scheduler.planSegment(10_000, deadline, SEGMENT, holders, fetchers, peers, live, seed, List.of(), 0);
  }

  private static Plan plan(List<Candidate> holders) {
    return plan(12_000, holders, 0, 2, true, false);
  }

  private static Plan http(Plan.HttpReason reason) {
    return new Plan.Http(reason);
  }

  /** An edge seeder holds the segment: the rescue rule (docs/PROTOCOL.md, "Steering"). */
  @Nested
  class Rescue {
    private final List<Candidate> seeder = List.of(candidate("edge"));

    private Plan plan(long deadline, List<Candidate> holders, int fetchers, int peers, boolean live, boolean seed) {
      return Scheduler.planSegment(10_000, deadline, SEGMENT, holders, fetchers, peers, live, seed, seeder, 0);
    }

    @Test
    void aViewerThatCanServeItIsAlwaysPreferred() {
      assertEquals(new Plan.FromPeer("a", 12_000), plan(12_000, List.of(candidate("a")), 0, 2, true, false));
    }

    @Test
    void whereHttpWouldServeItTheOpenChannelToTheSeederDoesInstead() {
      assertEquals(new Plan.FromPeer("edge", 12_000), plan(12_000, List.of(), 0, 2, false, false), "nobody_has_it");
      assertEquals(new Plan.FromPeer("edge", 12_000), plan(12_000, List.of(), 0, 0, true, false), "no viewer peers");
      PeerScore crawling = new PeerScore();
      crawling.sample(SEGMENT, 10_000, 50);
      assertEquals(new Plan.FromPeer("edge", 12_000), plan(12_000, List.of(candidate("c", crawling)), 0, 2, true, false),
          "slow_peers");
    }

    @Test
    void notWhenTheDeadlineIsTooCloseOrTheSeederTooSlowOrThisViewerSeeds() {
      assertEquals(http(Plan.HttpReason.URGENT), plan(10_100, List.of(), 0, 2, false, false));
      assertEquals(http(Plan.HttpReason.SEED), plan(12_000, List.of(), 0, 2, true, true));
      PeerScore crawling = new PeerScore();
      crawling.sample(SEGMENT, 10_000, 50);
      assertEquals(http(Plan.HttpReason.NOBODY_HAS_IT), Scheduler.planSegment(10_000, 12_000, SEGMENT, List.of(), 0, 2,
          false, false, List.of(candidate("edge", crawling)), 0));
    }

    @Test
    void aNewLiveSegmentNobodyAnnouncedWaitsForTheSwarmUntilTheRescueLeadThenTheSeeder() {
      long deadline = 10_000 + Scheduler.RESCUE_LEAD_MS + 3000;
      assertEquals(new Plan.Wait(deadline - Scheduler.RESCUE_LEAD_MS), plan(deadline, List.of(), 0, 2, true, false));
      long near = 10_000 + Scheduler.RESCUE_LEAD_MS;
      assertEquals(new Plan.FromPeer("edge", near), plan(near, List.of(), 0, 2, true, false));
      assertEquals(new Plan.Wait(deadline), plan(deadline, List.of(), 1, 2, true, false),
          "a viewer fetching it is waited for, to the deadline");
    }

    @Test
    void withoutASeederTheWaitLastsToTheDeadline() {
      long deadline = 15_000;
      assertEquals(new Plan.Wait(deadline), Scheduler.planSegment(10_000, deadline, SEGMENT, List.of(), 0, 2, true,
          false, List.of(), 0));
    }
  }

  /** A newcomer whose first peer connections are on their way. */
  @Nested
  class Joining {
    private Plan plan(long deadline, int peers, boolean seed, long joiningUntil) {
      return Scheduler.planSegment(10_000, deadline, SEGMENT, List.of(), 0, peers, false, seed, List.of(), joiningUntil);
    }

    @Test
    void withNoPeerConnectedYetASegmentWaitsForThemUntilTheJoinIsOverOrItsDeadline() {
      assertEquals(new Plan.Wait(11_000), plan(14_000, 0, false, 11_000));
      assertEquals(new Plan.Wait(12_000), plan(12_000, 0, false, 13_000), "never past the deadline");
    }

    @Test
    void notOnceJoinedNorWhenItIsDueOrThisViewerSeedsIt() {
      assertEquals(http(Plan.HttpReason.NO_PEERS), plan(14_000, 0, false, 0));
      assertEquals(http(Plan.HttpReason.NO_PEERS), plan(14_000, 0, false, 10_000), "the grace is over");
      assertEquals(http(Plan.HttpReason.URGENT), plan(10_100, 0, false, 11_000));
      assertEquals(http(Plan.HttpReason.NO_PEERS), plan(14_000, 0, true, 11_000));
    }

    @Test
    void aConnectedPeerEndsTheWaitForOthers() {
      assertEquals(http(Plan.HttpReason.NOBODY_HAS_IT), plan(14_000, 2, false, 11_000));
    }
  }

  @Nested
  class PlanSegment {
    @Test
    void aSegmentDueTooSoonGoesToHttpWhoeverHoldsIt() {
      assertEquals(http(Plan.HttpReason.URGENT),
          plan(10_000 + Scheduler.MIN_P2P_BUDGET_MS - 1, List.of(candidate("a")), 0, 2, true, false));
      assertEquals(http(Plan.HttpReason.URGENT), plan(9_000, List.of(candidate("a")), 0, 2, true, false));
      assertEquals(new Plan.FromPeer("a", 10_000 + Scheduler.MIN_P2P_BUDGET_MS),
          plan(10_000 + Scheduler.MIN_P2P_BUDGET_MS, List.of(candidate("a")), 0, 2, true, false));
    }

    @Test
    void withoutPeersHttpAtOnce() {
      assertEquals(http(Plan.HttpReason.NO_PEERS), plan(12_000, List.of(), 0, 0, true, false));
    }

    @Test
    void aPeerThatHoldsItGetsItWithTheDeadline() {
      assertEquals(new Plan.FromPeer("a", 12_000), plan(List.of(candidate("a"))));
    }

    @Test
    void theFastestMeasuredPeerIsChosenPenalizedPeersOnlyWhenNobodyElseHoldsIt() {
      PeerScore slow = new PeerScore();
      slow.sample(SEGMENT, 1000, 50); // 250 kB/s
      PeerScore fast = new PeerScore();
      fast.sample(SEGMENT, 100, 20); // 2.5 MB/s
      assertEquals(new Plan.FromPeer("fast", 12_000), plan(List.of(candidate("slow", slow), candidate("fast", fast))));
      fast.penalize(10_000);
      assertEquals(new Plan.FromPeer("slow", 12_000), plan(List.of(candidate("slow", slow), candidate("fast", fast))));
      assertEquals(new Plan.FromPeer("fast", 12_000), plan(List.of(candidate("fast", fast))));
    }

    @Test
    void aPeerTooSlowForTheTimeLeftIsNotAskedWaitForAFetcherElseHttp() {
      PeerScore crawling = new PeerScore();
      crawling.sample(SEGMENT, 10_000, 50); // 25 kB/s: 10 s for the segment, 2 s left
      assertEquals(http(Plan.HttpReason.SLOW_PEERS), plan(List.of(candidate("c", crawling))));
      assertEquals(new Plan.Wait(12_000), plan(12_000, List.of(candidate("c", crawling)), 1, 2, true, false));
    }

    @Test
    void aPeerFetchingItIsWaitedForUntilTheDeadline() {
      assertEquals(new Plan.Wait(12_000), plan(12_000, List.of(), 1, 2, true, false));
    }

    @Test
    void aNewLiveSegmentNobodyHasSeedersFetchItOverHttpTheOthersWait() {
      assertEquals(http(Plan.HttpReason.SEED), plan(12_000, List.of(), 0, 2, true, true));
      assertEquals(new Plan.Wait(12_000), plan(12_000, List.of(), 0, 2, true, false));
    }

    @Test
    void anOnDemandSegmentNobodyHasOrFetchesGoesToHttp() {
      assertEquals(http(Plan.HttpReason.NOBODY_HAS_IT), plan(12_000, List.of(), 0, 2, false, false));
    }

    @Test
    void anUnmeasuredPeerIsAssumedToNeedHalfTheBudget() {
      // Latency 100 ms assumed, the bytes in half the budget: fits while 100 + budget/2 <= budget.
      assertEquals(new Plan.FromPeer("a", 10_200), plan(10_200, List.of(candidate("a")), 0, 2, true, false));
      PeerScore struck = new PeerScore();
      struck.penalize(0); // a strike doubles the expected time: 2 * (100 + 1000) > 2000
      assertEquals(http(Plan.HttpReason.SLOW_PEERS), plan(List.of(candidate("s", struck))));
    }
  }

  @Nested
  class DeadlineFor {
    @Test
    void leavesTheHttpWindowAndAnHttpFetchOfTheSegmentBeforeTheSegmentIsDue() {
      HttpEstimate http = new HttpEstimate();
      http.sample(1_000_000, 1000, 100); // 1 MB/s, 100 ms to first byte
      long deadline = Scheduler.deadlineFor(5000, 6, 2, 500_000, http);
      assertTrue(Math.abs(deadline - (5000 + 4000 - 100 - 500)) <= 1, String.valueOf(deadline));
    }

    @Test
    void isInThePastWhenTheBufferIsShorterThanTheWindow() {
      assertTrue(Scheduler.deadlineFor(5000, 1, 2, 1, new HttpEstimate()) < 5000);
    }
  }

  @Nested
  class CheckTransfer {
    /** The JS test's transfer: 200 kB of 250 kB, first byte at 100, last at 950, deadline 3 s, 100 kB/s media. */
    private TransferVerdict transfer(long now, Long firstByteAt, Long lastByteAt, long received, long size, long deadline) {
      return Scheduler.checkTransfer(now, 0, firstByteAt, lastByteAt, received, size, deadline, 100_000);
    }

    private TransferVerdict transfer() {
      return transfer(1000, 100L, 950L, 200_000, 250_000, 3000);
    }

    @Test
    void goesOnWhileThePeerKeepsPace() {
      assertEquals(TransferVerdict.OK, transfer());
      assertEquals(TransferVerdict.OK, transfer(100 + Scheduler.PROBE_MS - 1, 100L, 100L, 1, 250_000, 3000),
          "not judged before the probe time");
    }

    @Test
    void isLateOnceTheDeadlinePassed() {
      assertEquals(TransferVerdict.LATE, transfer(3000, 100L, 950L, 200_000, 250_000, 3000));
    }

    @Test
    void isLateEarlyWhenTheRateCannotFinishByTheDeadline() {
      // 150 kB/s measured over 1 s, 2 MB to go: 13 s, 1.5 s left.
      assertEquals(TransferVerdict.LATE, transfer(1500, 500L, 1490L, 150_000, 2_150_000, 3000));
    }

    @Test
    void isSlowWhenThePeerDeliversSlowerThanTheSegmentPlays() {
      assertEquals(TransferVerdict.SLOW, transfer(1000, 100L, 950L, 50_000, 250_000, 3000)); // 55 kB/s < 100 kB/s
    }

    @Test
    void stallsWhenNoFirstByteComesOrTheBytesStop() {
      assertEquals(TransferVerdict.STALLED, transfer(Scheduler.STALL_MS + 1, null, null, 0, 250_000, 3000));
      assertEquals(TransferVerdict.OK, transfer(200, null, null, 0, 250_000, 3000));
      assertEquals(TransferVerdict.STALLED, transfer(950 + Scheduler.STALL_MS + 1, 100L, 950L, 200_000, 250_000, 10_000));
    }

    @Test
    void withLittleTimeTheFirstByteMayTakeHalfOfItButAtLeastTheProbeTime() {
      assertEquals(TransferVerdict.OK, transfer(Scheduler.PROBE_MS, null, null, 0, 250_000, 400));
      assertEquals(TransferVerdict.STALLED, transfer(Scheduler.PROBE_MS + 1, null, null, 0, 250_000, 400));
      assertEquals(TransferVerdict.STALLED, transfer(501, null, null, 0, 250_000, 1000));
    }
  }

  @Nested
  class ScoresAndEstimates {
    @Test
    void ewmaWeighsSamplesByTheirDurationAndForgetsByHalfLife() {
      Ewma ewma = new Ewma(2);
      assertTrue(Double.isNaN(ewma.value()));
      assertFalse(ewma.measured());
      ewma.sample(100, 1);
      assertEquals(100, Math.round(ewma.value()));
      ewma.sample(200, 2);
      double after = ewma.value();
      assertTrue(after > 150 && after < 200, String.valueOf(after));
    }

    @Test
    void ewmaOfAHalfLifeGivesAnOlderSampleAsMuchWeightAsANewOneOfTheSameLength() {
      Ewma ewma = new Ewma(1);
      ewma.sample(0, 1);
      ewma.sample(300, 1);
      // Weights 1/4 and 1/2 of the 3/4 gathered: 0 * 1/3 + 300 * 2/3.
      assertEquals(200, ewma.value(), 1e-9);
    }

    @Test
    void httpEstimateUsesTheFallbackUntilMeasured() {
      HttpEstimate http = new HttpEstimate(8e6);
      assertFalse(http.measured());
      assertEquals(1e6, http.bytesPerSecond());
      assertEquals(200, http.ttfbMs());
      http.sample(500_000, 250, 40);
      assertTrue(http.measured());
      assertEquals(2_000_000, Math.round(http.bytesPerSecond()));
      assertEquals(1040, Math.round(http.expectedMs(2_000_000)));
    }

    @Test
    void emptySamplesAreIgnored() {
      HttpEstimate http = new HttpEstimate();
      http.sample(0, 100, 10);
      assertFalse(http.measured());
      PeerScore score = new PeerScore();
      score.sample(0, 100, 10);
      assertEquals(0, score.served());
    }

    @Test
    void aPenalizedPeerWaitsLongerWithEachStrikeAndLooksSlower() {
      PeerScore score = new PeerScore();
      double before = score.expectedMs(100_000, 1e6);
      score.penalize(0);
      assertTrue(score.penalized(1999) && !score.penalized(2000));
      score.penalize(2000);
      assertTrue(score.penalized(5999) && !score.penalized(6000));
      assertEquals(before * 3, score.expectedMs(100_000, 1e6));
      score.sample(100_000, 100, 10); // serving well takes a strike back
      assertEquals(1, score.strikes());
      assertEquals(1, score.served());
    }

    @Test
    void penaltiesStopGrowingAtAMinute() {
      PeerScore score = new PeerScore();
      for (int i = 0; i < 40; i++) {
        score.penalize(0);
      }
      assertTrue(score.penalized(59_999));
      assertFalse(score.penalized(60_000));
    }
  }

  @Nested
  class PrefetchCandidates {
    record Up(long sequence, double dueSeconds) implements Scheduler.Upcoming {
    }

    private final List<Up> upcoming = List.of(new Up(5, 1), new Up(8, 12), new Up(6, 4), new Up(7, 8), new Up(9, 40));

    @Test
    void upcomingSegmentsHeldByPeersInsideTheP2pWindowOutsideTheHttpOneSoonestFirst() {
      List<Up> chosen = Scheduler.prefetchCandidates(upcoming, 20, 2, 2, s -> s.sequence() != 6);
      assertEquals(List.of(7L, 8L), chosen.stream().map(Up::sequence).toList());
    }

    @Test
    void noSlotsNoCandidates() {
      assertEquals(List.of(), Scheduler.prefetchCandidates(upcoming, 20, 2, 0, s -> true));
    }

    @Test
    void theWindowsBoundsAreExclusiveForHttpAndInclusiveForP2p() {
      List<Up> edges = List.of(new Up(1, 2), new Up(2, 20));
      assertEquals(List.of(2L), Scheduler.prefetchCandidates(edges, 20, 2, 5, s -> true).stream().map(Up::sequence).toList());
    }
  }
}
