package dev.swarmcdn.peer.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.peer.http.HttpError;
import dev.swarmcdn.peer.http.HttpResult;
import dev.swarmcdn.peer.http.HttpSource;
import dev.swarmcdn.peer.http.SegmentProgress;
import dev.swarmcdn.peer.testing.FakeClock;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The failover policy on a fake clock, with edges that fail on demand. */
class EdgeFailoverTest {

  private static final String A = "http://edge-a:8081";
  private static final String B = "http://edge-b:8081";
  private static final String SEGMENT = "/live/demo/360p/seg_00001.m4s";

  private final FakeClock clock = new FakeClock(1000, true);
  /** Edge base URL -> how it answers: null for 200, else the failure. */
  private final Map<String, Throwable> broken = new HashMap<>();
  private final List<String> requested = new ArrayList<>();
  private final List<Set<String>> asks = new ArrayList<>();
  private final List<RouteAnswer> switches = new ArrayList<>();
  /** What /route answers next. */
  private RouteAnswer nextRoute = route(B, "edge-b");
  private final EdgeFailover edges = new EdgeFailover(clock, excluded -> {
    asks.add(excluded);
    return Future.succeededFuture(nextRoute);
  }, switches::add);
  private final HttpSource http = new FailoverHttpSource(new ScriptedEdges(), edges);

  private static RouteAnswer route(String edge, String id) {
    return new RouteAnswer(edge, id, null, null, "tok-" + id, null, false, null);
  }

  EdgeFailoverTest() {
    edges.start(route(A, "edge-a"));
  }

  private Future<Buffer> get(String path) {
    return http.get(A + "/~t/tok-edge-a" + path);
  }

  @Test
  void aRefusedRequestMovesToTheNextEdgeAndIsTriedThereAndLaterRequestsFollow() {
    broken.put(A, new ConnectException("Connection refused"));
    Future<Buffer> got = get(SEGMENT);
    assertTrue(got.succeeded(), "tried again on edge-b");
    assertEquals(List.of(A + "/~t/tok-edge-a" + SEGMENT, B + "/~t/tok-edge-b" + SEGMENT), requested);
    assertEquals(List.of(Set.of("edge-a")), asks, "the tracker is told which edge failed");
    assertEquals(1, switches.size());

    requested.clear();
    assertTrue(get("/live/demo/360p/index.m3u8").succeeded());
    assertEquals(List.of(B + "/~t/tok-edge-b/live/demo/360p/index.m3u8"), requested,
        "the player's URLs of edge-a now go to edge-b, with its token");
    HttpSource.Transfer transfer = http.fetchSegment(A + "/~t/tok-edge-a" + SEGMENT, 0, -1, (got2, size) -> { });
    assertTrue(transfer.result().succeeded());
    assertEquals(1, asks.size(), "no more asks while edge-b serves");
  }

  @Test
  void fiveHundredsAndTimeoutsAreFailuresOfTheEdgeAndFourHundredsAreNot() {
    assertTrue(EdgeFailures.isEdgeFailure(new HttpError(502, "bad gateway")));
    assertTrue(EdgeFailures.isEdgeFailure(new io.vertx.core.impl.NoStackTraceTimeoutException("timeout")));
    assertTrue(EdgeFailures.isEdgeFailure(new io.vertx.core.http.HttpClosedException("closed")));
    assertTrue(!EdgeFailures.isEdgeFailure(new HttpError(0, "aborted")), "our own abort");

    broken.put(A, new HttpError(404, "HTTP 404"));
    assertTrue(get(SEGMENT).failed());
    assertEquals(List.of(), asks, "a 404 is the request's fault: no failover");
    broken.put(A, new HttpError(503, "HTTP 503"));
    assertTrue(get(SEGMENT).succeeded());
    assertEquals(1, switches.size());
  }

  @Test
  void withNoOtherEdgeAsksAreSpacedByADoublingGapAndNothingRetries() {
    broken.put(A, new ConnectException("Connection refused"));
    nextRoute = route(A, "edge-a"); // the tracker knows no other edge
    for (int i = 0; i < 20; i++) {
      assertTrue(get(SEGMENT).failed());
    }
    assertEquals(1, asks.size(), "a burst of failures makes one ask");
    assertEquals(20, requested.size(), "and no retries: the route named the failed edge again");
    clock.advance(EdgeFailover.MIN_ASK_GAP_MS * 2 - 1);
    get(SEGMENT);
    assertEquals(1, asks.size(), "the gap doubled after an ask that brought no other edge");
    clock.advance(1);
    get(SEGMENT);
    assertEquals(2, asks.size());
    assertEquals(0, switches.size());

    // Another edge appears: the next allowed ask moves there.
    nextRoute = route(B, "edge-b");
    clock.advance(EdgeFailover.MAX_ASK_GAP_MS);
    assertTrue(get(SEGMENT).succeeded());
    assertEquals(1, switches.size());
  }

  /** Answers every request at once: 200 with a few bytes, or the failure its edge is scripted to give. */
  private final class ScriptedEdges implements HttpSource {
    private Throwable failureFor(String url) {
      requested.add(url);
      return broken.entrySet().stream().filter(e -> url.startsWith(e.getKey())).map(Map.Entry::getValue)
          .findFirst().orElse(null);
    }

    @Override
    public Future<Buffer> get(String url) {
      Throwable failure = failureFor(url);
      return failure == null ? Future.succeededFuture(Buffer.buffer("ok")) : Future.failedFuture(failure);
    }

    @Override
    public Transfer fetchSegment(String url, long from, long knownSize, SegmentProgress progress) {
      Throwable failure = failureFor(url);
      Future<HttpResult> result = failure == null
          ? Future.succeededFuture(new HttpResult(new byte[] {1, 2}, 2, 0, 0, 0)) : Future.failedFuture(failure);
      return new Transfer() {
        @Override
        public Future<HttpResult> result() {
          return result;
        }

        @Override
        public void abort() {
        }
      };
    }

    @Override
    public void close() {
    }
  }
}
