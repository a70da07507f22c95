package dev.swarmcdn.peer.scheduler;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * The scheduler's decisions, as pure functions of what they are told (no clock, no network), the
 * same as the browser engine's (web-player/src/scheduler/scheduler.js): where a segment comes from,
 * whether a running peer transfer should be abandoned, which upcoming segments to fetch from peers
 * ahead of the player.
 *
 * <p>The rule that keeps P2P from playing worse than plain HTTP: a segment due within
 * {@code httpWindow} seconds goes to HTTP, and a peer gets only the time that leaves, after the
 * deadline, the {@code httpWindow} plus an HTTP fetch of the whole segment.
 */
public final class Scheduler {
  /** A peer transfer needs at least this much time, else the segment goes to HTTP at once. */
  public static final long MIN_P2P_BUDGET_MS = 200;
  /** Rate and latency are judged after this long since the first byte (or the request). */
  public static final long PROBE_MS = 300;
  /** A peer that sends nothing for this long has stalled. */
  public static final long STALL_MS = 1000;
  /**
   * A live segment the swarm has not announced is asked of an edge seeder this long before its
   * deadline, while a channel to one that holds it is open.
   */
  public static final long RESCUE_LEAD_MS = 1500;

  private Scheduler() {
  }

  /**
   * Where segment bytes come from now.
   *
   * @param deadline  when HTTP must start at the latest ({@link #deadlineFor}; may be past)
   * @param bytes     bytes still needed (the expected size while it is unknown)
   * @param holders   connected viewers that hold the segment and have a request slot
   * @param fetchers  connected peers announcing they fetch it
   * @param peers     connected viewers in the swarm
   * @param seed      this viewer fetches this new live segment over HTTP rather than wait for a
   *                  peer to announce it
   * @param seeders   connected edge seeders that hold the segment and have a request slot: never
   *                  chosen while a viewer can serve it, only as a rescue from HTTP. Bytes from one
   *                  are edge bytes either way; its channel is cheaper than HTTP because it is
   *                  already open (no new connection, no request head)
   * @param joiningUntil  until when this viewer is still joining the swarm (the tracker's answer and
   *                  its first peer connections on their way), 0 once joined: with no peer
   *                  connected yet a segment waits for them until then (never past its deadline)
   *                  rather than go to HTTP at once, so a newcomer's first buffer can come from
   *                  the swarm
   */
  public static Plan planSegment(long now, long deadline, long bytes, List<Candidate> holders, int fetchers,
      int peers, boolean live, boolean seed, List<Candidate> seeders, long joiningUntil) {
    long budget = deadline - now;
    if (budget < MIN_P2P_BUDGET_MS) {
      return new Plan.Http(Plan.HttpReason.URGENT);
    }
    if (peers == 0 && seeders.isEmpty()) {
      return joiningUntil > now && !seed ? new Plan.Wait(Math.min(deadline, joiningUntil))
          : new Plan.Http(Plan.HttpReason.NO_PEERS);
    }
    Plan fromViewers = planFromViewers(now, deadline, budget, bytes, holders, fetchers, peers, live, seed);
    if (fromViewers instanceof Plan.Http http && http.reason() != Plan.HttpReason.SEED) {
      Candidate rescue = fastest(seeders, bytes, budget);
      return rescue != null ? new Plan.FromPeer(rescue.id(), deadline) : fromViewers;
    }
    if (fromViewers instanceof Plan.Wait && live && holders.isEmpty() && fetchers == 0 && !seeders.isEmpty()) {
      // Nobody announced this new live segment: wait for the swarm, but leave a seeder time to rescue it.
      Candidate rescue = budget <= RESCUE_LEAD_MS ? fastest(seeders, bytes, budget) : null;
      if (rescue != null) {
        return new Plan.FromPeer(rescue.id(), deadline);
      }
      return new Plan.Wait(budget > RESCUE_LEAD_MS ? deadline - RESCUE_LEAD_MS : deadline);
    }
    return fromViewers;
  }

  /** The plan among viewers alone. */
  private static Plan planFromViewers(long now, long deadline, long budget, long bytes, List<Candidate> holders,
      int fetchers, int peers, boolean live, boolean seed) {
    if (peers == 0) {
      return new Plan.Http(Plan.HttpReason.NO_PEERS);
    }
    List<Candidate> fresh = holders.stream().filter(c -> !c.score().penalized(now)).toList();
    Candidate best = soonest(fresh.isEmpty() ? holders : fresh, bytes, budget);
    if (best != null) {
      if (expectedMs(best, bytes, budget) <= budget) {
        return new Plan.FromPeer(best.id(), deadline);
      }
      return fetchers > 0 ? new Plan.Wait(deadline) : new Plan.Http(Plan.HttpReason.SLOW_PEERS);
    }
    if (fetchers > 0) {
      return new Plan.Wait(deadline);
    }
    if (!live) {
      return new Plan.Http(Plan.HttpReason.NOBODY_HAS_IT);
    }
    // A new live segment nobody announced yet: the drawn seeders fetch it at once; the others give
    // the swarm until the deadline to announce it.
    return seed ? new Plan.Http(Plan.HttpReason.SEED) : new Plan.Wait(deadline);
  }

  /** The candidate expected to deliver {@code bytes} soonest, if it can within {@code budget} ms; else null. */
  private static Candidate fastest(List<Candidate> candidates, long bytes, long budget) {
    Candidate best = soonest(candidates, bytes, budget);
    return best != null && expectedMs(best, bytes, budget) <= budget ? best : null;
  }

  /** The candidate expected to deliver {@code bytes} soonest, or null when there is none. */
  private static Candidate soonest(List<Candidate> candidates, long bytes, long budget) {
    return candidates.stream().min(Comparator.comparingDouble(c -> expectedMs(c, bytes, budget))).orElse(null);
  }

  /** Unmeasured peers are assumed to manage the segment in half the budget. */
  private static double expectedMs(Candidate candidate, long bytes, long budget) {
    double optimistic = bytes / (Math.min(budget, Integer.MAX_VALUE) / 2000.0);
    return candidate.score().expectedMs(bytes, optimistic);
  }

  /**
   * When HTTP must start, at the latest, for a segment due in {@code dueSeconds} (media time until
   * the playhead reaches it, divided by the playback rate): early enough that {@code httpWindow}
   * seconds of buffer are left once an HTTP fetch of {@code bytes} is done.
   */
  public static long deadlineFor(long now, double dueSeconds, double httpWindow, long bytes, HttpEstimate http) {
    return now + Math.round((dueSeconds - httpWindow) * 1000 - http.expectedMs(bytes));
  }

  /**
   * Whether a running peer transfer should go on. Abandoned when the deadline passed, when the peer
   * sent nothing for {@link #STALL_MS} (or no first byte within the time the deadline leaves), or,
   * once measured for {@link #PROBE_MS}, when it delivers slower than the segment's bitrate or
   * cannot finish by the deadline at its rate.
   *
   * @param firstByteAt  null before the first byte
   * @param received     bytes of this transfer so far
   * @param size         bytes it must deliver
   * @param bitrate      the segment's bytes per second of media
   */
  public static TransferVerdict checkTransfer(long now, long requestedAt, Long firstByteAt, Long lastByteAt,
      long received, long size, long deadline, double bitrate) {
    if (now >= deadline) {
      return TransferVerdict.LATE;
    }
    if (firstByteAt == null || lastByteAt == null) {
      long patience = Math.min(STALL_MS, Math.max(PROBE_MS, (deadline - requestedAt) / 2));
      return now - requestedAt > patience ? TransferVerdict.STALLED : TransferVerdict.OK;
    }
    if (now - lastByteAt > STALL_MS) {
      return TransferVerdict.STALLED;
    }
    long measuredMs = now - firstByteAt;
    if (measuredMs < PROBE_MS) {
      return TransferVerdict.OK;
    }
    double rate = received / (measuredMs / 1000.0);
    if (rate < bitrate) {
      return TransferVerdict.SLOW;
    }
    return now + (size - received) / rate * 1000 > deadline ? TransferVerdict.LATE : TransferVerdict.OK;
  }

  /** An upcoming segment: its number and the seconds until the playhead reaches it. */
  public interface Upcoming {
    long sequence();

    double dueSeconds();
  }

  /**
   * Upcoming segments worth fetching from peers before the player asks: wanted (not held, not in
   * flight, some peer holds it), due within {@code p2pWindow} seconds but not within the HTTP
   * window; the soonest first, at most {@code slots}.
   */
  public static <S extends Upcoming> List<S> prefetchCandidates(List<S> upcoming, double p2pWindow,
      double httpWindow, int slots, Predicate<S> wanted) {
    if (slots <= 0) {
      return List.of();
    }
    List<S> chosen = new ArrayList<>();
    upcoming.stream()
        .filter(s -> s.dueSeconds() > httpWindow && s.dueSeconds() <= p2pWindow && wanted.test(s))
        .sorted(Comparator.comparingDouble(Upcoming::dueSeconds))
        .limit(slots)
        .forEach(chosen::add);
    return chosen;
  }
}
