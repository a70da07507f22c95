package dev.swarmcdn.peer.engine;

import dev.swarmcdn.peer.http.HttpResult;
import dev.swarmcdn.peer.http.HttpSource;
import dev.swarmcdn.peer.http.SegmentProgress;
import dev.swarmcdn.peer.http.UnusableRange;
import dev.swarmcdn.peer.scheduler.Candidate;
import dev.swarmcdn.peer.scheduler.Plan;
import dev.swarmcdn.peer.scheduler.Scheduler;
import dev.swarmcdn.peer.scheduler.TransferVerdict;
import dev.swarmcdn.peer.stats.FallbackReason;
import dev.swarmcdn.peer.swarm.Peer;
import dev.swarmcdn.peer.swarm.PeerLink;
import dev.swarmcdn.peer.swarm.PeerPool;
import dev.swarmcdn.peer.swarm.RequestHandler;
import dev.swarmcdn.peer.util.Clock;
import dev.swarmcdn.protocol.integrity.ManifestEntry;
import dev.swarmcdn.protocol.integrity.SegmentVerdict;
import dev.swarmcdn.protocol.peer.PeerFrame;
import dev.swarmcdn.protocol.peer.RejectReason;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Getting one segment, from wherever the scheduler says, as the browser's SegmentJob: peers while
 * there is time, HTTP when the deadline comes. A peer transfer that is abandoned (late, slow,
 * stalled, peer gone, rejected) keeps the bytes that arrived; the rest comes from another peer or
 * over HTTP with a Range request. Bytes that came from peers are checked against the integrity
 * manifest before the segment is handed over: a mismatch is discarded and the segment fetched again
 * over HTTP. Only bytes proven wrong blame the peer that sent them (dropped and reported): a
 * segment from one peer alone that fails, a size the manifest contradicts, or, for a segment of
 * several sources, bytes that differ from the HTTP copy once that copy verifies.
 *
 * <p>A job starts either for the player (with a deadline) or as a prefetch from peers only; the
 * player may later want a prefetched segment, which turns the job into a normal one. Confined to
 * the engine's thread.
 */
final class SegmentJob {
  private static final Logger LOG = LoggerFactory.getLogger(SegmentJob.class);
  /** How often a running peer transfer is judged. */
  private static final long CHECK_MS = 100;
  /** Larger segments than this from a peer are refused outright. */
  private static final long MAX_SEGMENT_BYTES = HttpSource.MAX_BODY_BYTES;
  /** How long a viewer waits for the viewer the tracker named to announce a segment, before its own rule decides. */
  static final long STEER_PATIENCE_MS = 3000;
  /** A segment newer than the manifest an edge still caches is checked again after this long... */
  private static final long UNKNOWN_RETRY_MS = 400;
  /** ... at most this many times, while the deadline allows. */
  private static final int UNKNOWN_RETRIES = 3;

  private enum Outcome { COMPLETE, LATE, SLOW, STALLED, CLOSED, REJECTED, INTEGRITY, CONFLICT, CANCELLED }

  private record Suspects(byte[] data, List<Span> spans) {
  }

  final SegmentRef ref;
  private final JobContext ctx;
  private boolean prefetch;
  private boolean cancelled;
  private boolean done;
  /** After bytes from peers failed their check, the rest comes over HTTP. */
  private boolean forceHttp;
  private byte[] buffer;
  private long size = -1;
  private long received;
  private long httpBytes;
  private long p2pBytes;
  private long seederBytes;
  private boolean assigned;
  /**
   * When the job started, while the tracker named another viewer for this segment (else -1): the
   * swarm is waited for, but after {@link #STEER_PATIENCE_MS} with no viewer holding or fetching it
   * (the named one left, or never got it) the engine's own rule decides again.
   */
  private long steeredAt;
  /** Ends the current wait for the swarm, while there is one. */
  private Runnable waiting;
  private List<Span> spans = new ArrayList<>();
  private Suspects suspects;
  private final Set<String> tried = new HashSet<>();
  private long deadline;
  private SegmentProgress onHttpProgress;
  private Runnable interrupt;
  private boolean seed;
  private final JobTrace trace;
  private final Future<Delivery> result;

  /** @param resume  bytes an earlier job got, to go on from, or null */
  SegmentJob(SegmentRef ref, JobContext ctx, double dueSeconds, boolean prefetch, Partial resume) {
    this.ref = ref;
    this.ctx = ctx;
    this.prefetch = prefetch;
    this.trace = new JobTrace(ref.swarm() + "#" + ref.sequence(), ctx.clock());
    if (prefetch) {
      trace.note("prefetch");
    }
    if (resume != null) {
      buffer = resume.buffer();
      size = resume.size();
      received = resume.received();
      p2pBytes = resume.p2pBytes();
      seederBytes = resume.seederBytes();
      spans = new ArrayList<>(resume.spans());
      trace.note("resumed at byte " + received);
    }
    this.deadline = deadlineFor(dueSeconds);
    this.seed = ref.live() && ctx.seeds(ref.swarm(), ref.sequence());
    this.steeredAt = ref.live() && !seed && ctx.assignedElsewhere(ref.swarm(), ref.sequence()) ? ctx.clock().now() : -1;
    this.result = run().andThen(outcome -> {
      done = true;
      trace.ended(outcome.succeeded() && !this.prefetch);
    });
  }

  Future<Delivery> result() {
    return result;
  }

  boolean prefetch() {
    return prefetch;
  }

  /** Started because the tracker assigned the segment to this viewer, not for the player. */
  boolean assigned() {
    return assigned;
  }

  void markAssigned() {
    assigned = true;
  }

  boolean done() {
    return done;
  }

  boolean cancelled() {
    return cancelled;
  }

  /** The player wants this segment now, due in {@code dueSeconds}. */
  void want(double dueSeconds, SegmentProgress onHttpProgress) {
    prefetch = false;
    deadline = deadlineFor(dueSeconds);
    trace.wanted(dueSeconds);
    this.onHttpProgress = onHttpProgress;
    // A wait set against an earlier, later deadline (an assigned fetch's) is planned again.
    endWait();
  }

  /** This viewer fetches the segment over HTTP now (the tracker assigned it): a wait for the swarm ends. */
  void seedNow() {
    seed = true;
    endWait();
  }

  private void endWait() {
    if (waiting != null) {
      waiting.run();
    }
  }

  void cancel() {
    cancelled = true;
    if (interrupt != null) {
      interrupt.run();
    }
  }

  private long deadlineFor(double dueSeconds) {
    return Scheduler.deadlineFor(ctx.clock().now(), dueSeconds, ctx.httpWindow(), expectedSize(), ctx.httpEstimate());
  }

  private long expectedSize() {
    if (size >= 0) {
      return size;
    }
    ManifestEntry entry = ctx.integrity().entry(ref.playlistUrl(), ref.sequence());
    return entry != null ? entry.size() : (long) Math.ceil(ref.bitrate() * ref.duration());
  }

  private Future<Delivery> run() {
    var stored = ctx.store().get(ref.swarm(), ref.sequence());
    if (stored != null) {
      return Future.succeededFuture(Delivery.of(stored));
    }
    return attempt().andThen(ignored -> ctx.store().fetching(ref.swarm(), ref.sequence(), false));
  }

  /** Fills the buffer, checks bytes from peers, and starts over over HTTP when they fail. */
  private Future<Delivery> attempt() {
    return fetchRest().compose(filled -> {
      // Bytes from data channels are checked, an edge seeder's too: a channel is not the edge's HTTPS.
      if (p2pBytes == 0 && seederBytes == 0) {
        return deliver();
      }
      return verify().compose(verdict -> {
        if (verdict == SegmentVerdict.MATCHES) {
          return deliver();
        }
        trace.note("peer bytes " + verdict);
        discard(verdict);
        return attempt();
      });
    });
  }

  private Future<Delivery> deliver() {
    Future<Void> judged = suspects != null ? judgeSuspects() : Future.succeededFuture();
    return judged.map(ignored -> {
      byte[] kept = ctx.store().put(ref.swarm(), ref.sequence(), buffer, p2pBytes, seederBytes);
      return new Delivery(kept, httpBytes, p2pBytes, seederBytes);
    });
  }

  /**
   * The integrity check of the assembled segment. Unknown (the manifest does not list it yet) is
   * asked again a little later while there is time: the edge may have served a manifest one segment old.
   */
  private Future<SegmentVerdict> verify() {
    return verifyAgain(0);
  }

  private Future<SegmentVerdict> verifyAgain(int retry) {
    return ctx.integrity().check(ref.playlistUrl(), ref.sequence(), ref.uri(), buffer).compose(verdict -> {
      if (verdict != SegmentVerdict.UNKNOWN || retry >= UNKNOWN_RETRIES
          || deadline - ctx.clock().now() <= UNKNOWN_RETRY_MS) {
        return Future.succeededFuture(verdict);
      }
      return pause(UNKNOWN_RETRY_MS).compose(ignored -> {
        checkCancelled();
        return verifyAgain(retry + 1);
      });
    });
  }

  private Future<Void> pause(long ms) {
    Promise<Void> promise = Promise.promise();
    ctx.clock().schedule(ms, promise::tryComplete);
    return promise.future();
  }

  /**
   * Bytes from peers that did not verify: thrown away, and the segment comes over HTTP. A mismatch
   * blames the peer when its bytes were the whole segment; a mix of sources waits for the verified
   * HTTP copy to tell whose bytes were wrong.
   */
  private void discard(SegmentVerdict verdict) {
    List<String> peers = peersInBuffer();
    if (verdict == SegmentVerdict.MISMATCH) {
      ctx.counters().fellBack(FallbackReason.INTEGRITY);
      if (httpBytes == 0 && peers.size() == 1) {
        blame(peers);
      } else {
        suspects = new Suspects(buffer, List.copyOf(spans));
      }
    } else {
      ctx.counters().fellBack(FallbackReason.UNKNOWN);
    }
    dropPeerBytes();
  }

  /** The HTTP copy of a segment whose mix of sources failed: if it verifies, each peer whose bytes differ is blamed. */
  private Future<Void> judgeSuspects() {
    Suspects judged = suspects;
    suspects = null;
    byte[] copy = buffer;
    return ctx.integrity().check(ref.playlistUrl(), ref.sequence(), ref.uri(), copy).map(verdict -> {
      if (verdict != SegmentVerdict.MATCHES) {
        return null;
      }
      Set<String> wrong = new LinkedHashSet<>();
      for (Span span : judged.spans()) {
        if (span.to() > copy.length || !java.util.Arrays.equals(judged.data(), (int) span.from(), (int) span.to(),
            copy, (int) span.from(), (int) span.to())) {
          wrong.add(span.peer());
        }
      }
      blame(List.copyOf(wrong));
      return null;
    });
  }

  /** Peers proven to have sent wrong bytes: dropped and reported. */
  private void blame(List<String> peers) {
    if (peers.isEmpty()) {
      return;
    }
    LOG.warn("segment {}#{} from {} failed its integrity check", ref.swarm(), ref.sequence(), peers);
    peers.forEach(peer -> ctx.reportBad(ref.swarm(), peer));
  }

  private List<String> peersInBuffer() {
    Set<String> peers = new LinkedHashSet<>();
    spans.forEach(span -> peers.add(span.peer()));
    return List.copyOf(peers);
  }

  /** Starts the segment again, over HTTP only, without asking the peers that sent bytes. */
  private void dropPeerBytes() {
    tried.addAll(peersInBuffer());
    buffer = null;
    size = -1;
    received = 0;
    httpBytes = 0;
    p2pBytes = 0;
    seederBytes = 0;
    spans = new ArrayList<>();
    forceHttp = true;
  }

  private Partial partial() {
    if (received == 0 || size < 0 || buffer == null) {
      return null;
    }
    return new Partial(buffer, size, received, p2pBytes, seederBytes, List.copyOf(spans));
  }

  private void checkCancelled() {
    if (cancelled) {
      throw new JobAborted("cancelled", null);
    }
  }

  /** Fills the buffer to the end, from peers while the plan says so, else over HTTP. */
  private Future<Void> fetchRest() {
    if (size >= 0 && received >= size) {
      return Future.succeededFuture();
    }
    if (cancelled) {
      return Future.failedFuture(new JobAborted("cancelled", null));
    }
    long now = ctx.clock().now();
    PeerPool pool = forceHttp ? null : ctx.pool(ref.swarm());
    List<Peer> holders = new ArrayList<>();
    List<Peer> seeders = new ArrayList<>();
    if (pool != null) {
      for (Peer peer : pool.holders(ref.sequence())) {
        if (!tried.contains(peer.id())) {
          (peer.seeder() ? seeders : holders).add(peer);
        }
      }
    }
    long patientUntil = steeredAt < 0 ? Long.MAX_VALUE : steeredAt + STEER_PATIENCE_MS;
    if (!prefetch && pool != null && now >= patientUntil && holders.isEmpty() && pool.fetchers(ref.sequence()) == 0) {
      trace.note("its named fetcher announced nothing; the own rule decides");
      steeredAt = -1;
      seed = ctx.seedsOnItsOwn(ref.swarm());
    }
    Future<Void> step;
    if (prefetch) {
      // Prefetches come from viewers only (an edge seeder is a rescue), and stop at the first failure.
      Peer peer = holders.stream().filter(p -> !p.score().penalized(now)).findFirst().orElse(null);
      if (peer == null || !tried.isEmpty()) {
        return Future.failedFuture(new JobAborted("no peer for a prefetch", partial()));
      }
      step = fromPeer(peer);
    } else {
      long joiningUntil = forceHttp ? 0 : ctx.joiningUntil(ref.swarm());
      // No pool: P2P is off for the segment, or, while the swarm is being joined, not usable yet
      // (its integrity manifest is on its way) and planned as a swarm of nobody so far.
      Plan plan = pool == null && joiningUntil <= now ? new Plan.Http(Plan.HttpReason.OFF)
          : Scheduler.planSegment(now, deadline, expectedSize() - received, candidates(holders),
              pool == null ? 0 : pool.fetchers(ref.sequence()), pool == null ? 0 : viewers(pool), ref.live(),
              // Once a peer failed this segment, nobody else is waited for.
              seed || !tried.isEmpty(), candidates(seeders), joiningUntil);
      if (plan instanceof Plan.Http http) {
        trace.note("HTTP (" + http.reason() + ", " + (deadline - now) + " ms to the deadline)");
        step = fromHttp();
      } else if (plan instanceof Plan.FromPeer fromPeer) {
        Peer peer = java.util.stream.Stream.concat(holders.stream(), seeders.stream())
            .filter(p -> p.id().equals(fromPeer.peer())).findFirst().orElseThrow();
        trace.note((peer.seeder() ? "edge seeder " : "peer ") + peer.id() + " (" + (deadline - now)
            + " ms to the deadline)");
        if (peer.seeder()) {
          ctx.counters().rescued();
        }
        step = fromPeer(peer);
      } else {
        long until = ((Plan.Wait) plan).until();
        long waitUntil = patientUntil > now ? Math.min(until, patientUntil) : until;
        trace.note("wait for peers, " + (waitUntil - now) + " ms at most" + (joiningUntil > now ? " (joining)" : ""));
        step = waitForPeers(waitUntil);
      }
    }
    return step.compose(ignored -> fetchRest());
  }

  private static List<Candidate> candidates(List<Peer> peers) {
    return peers.stream().map(p -> new Candidate(p.id(), p.score())).toList();
  }

  /** Connected viewers (edge seeders left out). */
  private static int viewers(PeerPool pool) {
    return (int) pool.connected().stream().filter(p -> !p.seeder()).count();
  }

  /** Until a peer of the swarm changes (a HAVE, a new or lost peer), {@code until}, or a cancel. */
  private Future<Void> waitForPeers(long until) {
    Promise<Void> promise = Promise.promise();
    Runnable[] unsubscribe = new Runnable[1];
    Clock.Timer[] timer = new Clock.Timer[1];
    Runnable stop = () -> {
      if (promise.tryComplete()) {
        unsubscribe[0].run();
        timer[0].cancel();
        interrupt = null;
      }
    };
    unsubscribe[0] = ctx.onPeerChange(ref.swarm(), stop);
    timer[0] = ctx.clock().schedule(Math.max(0, until - ctx.clock().now()), stop);
    interrupt = stop;
    waiting = stop;
    return promise.future().andThen(ignored -> waiting = null);
  }

  /** From the first transfer on, peers learn that this viewer is fetching the segment (not while it only waits). */
  private void announceFetching() {
    ctx.store().fetching(ref.swarm(), ref.sequence(), true);
  }

  private Future<Void> fromHttp() {
    announceFetching();
    long from = received;
    long[] counted = {0};
    HttpSource.Transfer transfer = ctx.http().fetchSegment(ref.url(), from, size, (got, expected) -> {
      ctx.counters().downloadedHttp(got - counted[0]);
      counted[0] = got;
      if (onHttpProgress != null) {
        onHttpProgress.progress(from + got, expected < 0 ? -1 : from + expected);
      }
    });
    interrupt = transfer::abort;
    return transfer.result().transform(outcome -> {
      interrupt = null;
      if (outcome.failed()) {
        checkCancelled();
        if (!(outcome.cause() instanceof UnusableRange unusable)) {
          return Future.failedFuture(outcome.cause());
        }
        LOG.info("segment {}#{}: {}; the whole segment instead", ref.swarm(), ref.sequence(), unusable.getMessage());
        // The edge and the peers may name different sizes: only the manifest's can prove the peers wrong.
        ManifestEntry entry = ctx.integrity().entry(ref.playlistUrl(), ref.sequence());
        if (unusable.size() != null && entry != null && entry.size() == unusable.size()) {
          ctx.counters().fellBack(FallbackReason.INTEGRITY);
          blame(peersInBuffer());
        }
        dropPeerBytes();
        return Future.succeededFuture();
      }
      HttpResult http = outcome.result();
      if (from == 0) {
        buffer = http.data();
        size = http.size();
      } else {
        System.arraycopy(http.data(), 0, buffer, (int) from, http.data().length);
      }
      received = http.size();
      httpBytes += http.data().length;
      trace.note("HTTP got " + http.data().length + " bytes, first byte after " + (http.firstByteAt() - http.requestedAt())
          + " ms, last after " + (http.endAt() - http.requestedAt()) + " ms");
      ctx.httpEstimate().sample(http.data().length, http.endAt() - http.firstByteAt(),
          http.firstByteAt() - http.requestedAt());
      return Future.succeededFuture();
    });
  }

  /**
   * One request to one peer, for the rest of the segment (or as much as the peer allows in one
   * request), judged every {@link #CHECK_MS} against the deadline and the segment's bitrate.
   */
  private Future<Void> fromPeer(Peer peer) {
    Clock clock = ctx.clock();
    PeerLink link = peer.link();
    long start = received;
    long end = Math.min(PeerFrame.Request.TO_END, start + link.remote().maxRequestBytes());
    long requestedAt = clock.now();
    announceFetching();
    long[] firstAndLast = {-1, -1};
    long[] got = {0};
    ctx.counters().transferStarted();
    Promise<Outcome> outcome = Promise.promise();
    Runnable[] cancel = new Runnable[1];
    Clock.Timer[] timer = new Clock.Timer[1];
    java.util.function.Consumer<Outcome> finish = how -> {
      if (outcome.future().isComplete()) {
        return;
      }
      if (timer[0] != null) {
        timer[0].cancel();
      }
      interrupt = null;
      if (how != Outcome.COMPLETE && how != Outcome.CLOSED && how != Outcome.REJECTED && cancel[0] != null) {
        cancel[0].run();
      }
      outcome.complete(how);
    };
    cancel[0] = link.request(ref.sequence(), start, end, new RequestHandler() {
      @Override
      public void onPiece(PeerFrame.Piece piece) {
        ManifestEntry listed = ctx.integrity().entry(ref.playlistUrl(), ref.sequence());
        if ((listed != null && piece.size() != listed.size()) || piece.size() > MAX_SEGMENT_BYTES) {
          finish.accept(Outcome.INTEGRITY);
          return;
        }
        if (size >= 0 && piece.size() != size) {
          finish.accept(Outcome.CONFLICT);
          return;
        }
        if (size < 0) {
          size = piece.size();
          buffer = new byte[(int) piece.size()];
        }
        piece.payload().get(buffer, (int) piece.offset(), piece.payloadLength());
        long now = clock.now();
        if (firstAndLast[0] < 0) {
          firstAndLast[0] = now;
        }
        firstAndLast[1] = now;
        got[0] += piece.payloadLength();
        received = piece.offset() + piece.payloadLength();
        if (peer.seeder()) {
          seederBytes += piece.payloadLength();
          ctx.counters().downloadedSeeder(piece.payloadLength());
        } else {
          p2pBytes += piece.payloadLength();
          ctx.counters().downloadedP2p(piece.payloadLength());
        }
      }

      @Override
      public void onEnd() {
        finish.accept(Outcome.COMPLETE);
      }

      @Override
      public void onReject(RejectReason reason) {
        finish.accept(Outcome.REJECTED);
      }

      @Override
      public void onClose() {
        finish.accept(Outcome.CLOSED);
      }
    });
    if (!outcome.future().isComplete()) {
      interrupt = () -> finish.accept(Outcome.CANCELLED);
      Runnable[] check = new Runnable[1];
      check[0] = () -> {
        if (outcome.future().isComplete()) {
          return;
        }
        long expected = size >= 0 ? size : expectedSize();
        TransferVerdict verdict = Scheduler.checkTransfer(clock.now(), requestedAt,
            firstAndLast[0] < 0 ? null : firstAndLast[0], firstAndLast[1] < 0 ? null : firstAndLast[1], got[0],
            Math.min(expected, end) - start, deadline, ref.bitrate());
        switch (verdict) {
          case OK -> timer[0] = clock.schedule(CHECK_MS, check[0]);
          case LATE -> finish.accept(Outcome.LATE);
          case SLOW -> finish.accept(Outcome.SLOW);
          case STALLED -> finish.accept(Outcome.STALLED);
        }
      };
      timer[0] = clock.schedule(CHECK_MS, check[0]);
    }
    return outcome.future().compose(how -> {
      ctx.counters().transferEnded();
      trace.note("peer " + peer.id() + " " + how + " after " + (clock.now() - requestedAt) + " ms with " + got[0]
          + " bytes" + (firstAndLast[0] < 0 ? "" : ", first after " + (firstAndLast[0] - requestedAt) + " ms"));
      if (got[0] > 0) {
        spans.add(new Span(peer.id(), start, start + got[0]));
        peer.score().sample(got[0], firstAndLast[1] - firstAndLast[0], firstAndLast[0] - requestedAt);
      }
      checkCancelled();
      if (how == Outcome.COMPLETE) {
        return Future.succeededFuture();
      }
      tried.add(peer.id());
      if (how == Outcome.INTEGRITY || how == Outcome.CONFLICT) {
        // A size the manifest contradicts proves this peer wrong; one that differs from an earlier
        // source's, with no manifest size to judge by, proves nobody wrong. Either way, HTTP now.
        if (how == Outcome.INTEGRITY) {
          ctx.counters().fellBack(FallbackReason.INTEGRITY);
          blame(List.of(peer.id()));
        }
        dropPeerBytes();
        return Future.succeededFuture();
      }
      if (how != Outcome.CLOSED && how != Outcome.REJECTED) {
        peer.score().penalize(clock.now());
      }
      ctx.counters().fellBack(FallbackReason.valueOf(how.name()));
      return Future.succeededFuture();
    });
  }
}
