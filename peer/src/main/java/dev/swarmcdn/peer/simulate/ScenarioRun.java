package dev.swarmcdn.peer.simulate;

import dev.swarmcdn.peer.player.VirtualPlayer;
import dev.swarmcdn.peer.swarm.SessionFactory;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One scenario of the swarm benchmark against the running stack: waits for an empty swarm, takes
 * the servers' counters, plays the scenario, takes them again, and puts everything measured into one
 * JSON object (figures, per-second series, per-viewer values).
 */
final class ScenarioRun {

  /** What every scenario of one benchmark shares. */
  record Bench(String src, int viewers, Duration ramp, Duration duration, long trackerPid, long clockTicks) {
  }

  private final Vertx vertx;
  private final SessionFactory sessions;
  private final StackProbe probe;
  private final Bench bench;
  /** Connections the tracker holds with no viewer there: the edge's seeder. */
  private final double idlePeers;

  ScenarioRun(Vertx vertx, SessionFactory sessions, StackProbe probe, Bench bench) throws Exception {
    this.vertx = vertx;
    this.sessions = sessions;
    this.probe = probe;
    this.bench = bench;
    this.idlePeers = probe.trackerPeers();
  }

  JsonObject run(BenchScenario scenario) throws Exception {
    awaitEmptySwarm();
    StackProbe.Scrape before = probe.scrape();
    SecondBySecond series = new SecondBySecond(bench.trackerPid(), bench.clockTicks(), bench.ramp().toMillis());
    PlayedCheck check = new PlayedCheck();
    long started = System.nanoTime();
    EdgeCopies copies = new EdgeCopies(() -> (System.nanoTime() - started) / 1_000_000, bench.ramp().toMillis());
    SimulationReport end = new SwarmSimulation(vertx, sessions, (viewer, event) -> {
      check.played(viewer, event);
      copies.played(viewer, event);
    }).run(
        new SwarmSimulation.Settings(bench.src(), bench.viewers(), bench.ramp(), bench.duration(), scenario.options(),
            VirtualPlayer.Settings.DEFAULT, scenario.churn()),
        (elapsedMs, now) -> {
          series.report(elapsedMs, now);
          if (elapsedMs % 10_000 < 1000) {
            System.err.printf("  %-16s %4d s  %s%n", scenario.label(), elapsedMs / 1000, now.summary());
          }
        });
    StackProbe.Scrape after = probe.scrape();
    PlayedCheck.Verdict verdict = check.verdict(probe::fromEdge);
    return figures(scenario, end, series, before, after, verdict).put("edgeCopiesPerSegment", copies.summary());
  }

  /** The tracker must have let go of the previous scenario's viewers, or they would be offered as peers. */
  private void awaitEmptySwarm() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (probe.trackerPeers() > idlePeers) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the tracker still holds peers of the previous scenario after 60 s");
      }
      // Polling an outside process: nothing to wait on but its answers.
      TimeUnit.MILLISECONDS.sleep(500);
    }
  }

  private JsonObject figures(BenchScenario scenario, SimulationReport end, SecondBySecond series,
      StackProbe.Scrape before, StackProbe.Scrape after, PlayedCheck.Verdict verdict) {
    List<VirtualViewer.Snapshot> viewers = end.perViewer();
    int n = viewers.size();
    double[] stalledMs = new double[n];
    double[] stalls = new double[n];
    JsonArray startup = new JsonArray();
    JsonArray shares = new JsonArray();
    long segments = 0;
    long longest = 0;
    int stalled = 0;
    int neverStarted = 0;
    for (int i = 0; i < n; i++) {
      VirtualViewer.Snapshot viewer = viewers.get(i);
      stalledMs[i] = viewer.playback().stalledMs();
      stalls[i] = viewer.playback().stalls();
      stalled += viewer.playback().stalls() > 0 ? 1 : 0;
      longest = Math.max(longest, viewer.playback().longestStallMs());
      segments += viewer.playback().segments();
      if (viewer.playback().startupMs() >= 0) {
        startup.add(viewer.playback().startupMs());
      } else {
        neverStarted++;
      }
      long delivered = viewer.engine().deliveredHttp() + viewer.engine().deliveredSeeder() + viewer.engine().deliveredP2p();
      if (delivered > 0) {
        shares.add(SecondBySecond.round((double) viewer.engine().deliveredP2p() / delivered));
      }
    }
    double published = after.origin().max("origin_live_segments_published_total")
        - before.origin().max("origin_live_segments_published_total");
    // Less one: the "before" scrape of /metrics is itself a request these count.
    double originRequests = delta(before.origin(), after.origin(), "http_server_requests_seconds_count") - 1;
    double edgeBytes = delta(before.edge(), after.edge(), "edge_egress_bytes_total");
    double edgeRequests = delta(before.edge(), after.edge(), "http_server_requests_seconds_count") - 1;
    long deliveredAll = end.deliveredEdge() + end.deliveredP2p();
    return new JsonObject()
        .put("name", scenario.name())
        .put("p2p", scenario.p2p())
        .put("label", scenario.label())
        .put("description", scenario.description())
        .put("viewers", bench.viewers())
        .put("viewersJoined", n)
        .put("p2pShare", SecondBySecond.round4(end.p2pShare()))
        .put("p2pShareAfterRamp", series.shareAfterRamp(end) == null ? null
            : SecondBySecond.round4(series.shareAfterRamp(end)))
        .put("deliveredHttpBytes", end.deliveredHttp())
        .put("deliveredP2pBytes", end.deliveredP2p())
        .put("deliveredSeederBytes", end.deliveredSeeder())
        .put("uploadedBytes", end.uploaded())
        .put("segmentsPlayed", segments)
        .put("segmentBytesMean", segments > 0 ? deliveredAll / segments : 0)
        .put("segmentsPublished", published)
        .put("origin", new JsonObject()
            .put("requests", originRequests)
            .put("requestsPerSegment", perSegment(originRequests, published)))
        .put("edge", new JsonObject()
            .put("egressBytes", edgeBytes)
            .put("egressBytesPerSegment", perSegment(edgeBytes, published))
            .put("egressShareOfDelivered", deliveredAll > 0 ? SecondBySecond.round4(edgeBytes / deliveredAll) : null)
            .put("requests", edgeRequests)
            .put("requestsPerSegment", perSegment(edgeRequests, published)))
        .put("stalls", new JsonObject()
            .put("total", end.stalls())
            .put("stalledMsTotal", end.stalledMs())
            .put("viewersWithStall", stalled)
            .put("longestMs", longest)
            .put("stalledMsPerViewer", Distribution.of(stalledMs))
            .put("stallsPerViewer", Distribution.of(stalls)))
        .put("startupMs", Distribution.of(startup.stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray())
            .put("neverStarted", neverStarted))
        .put("integrity", new JsonObject()
            .put("failures", end.integrityFailures())
            .put("peerReportsToTracker", delta(before.tracker(), after.tracker(), "tracker_peer_reports_total"))
            .put("segmentsWithPeerBytesChecked", verdict.checked())
            .put("corruptedPlayed", verdict.corrupted())
            .put("unverified", verdict.unverified()))
        .put("tracker", series.tracker())
        .put("series", series.series())
        .put("perViewer", new JsonObject()
            .put("stalledMs", toArray(stalledMs))
            .put("stalls", toArray(stalls))
            .put("startupMs", startup)
            .put("p2pShare", shares));
  }

  private static double delta(PrometheusText before, PrometheusText after, String name) {
    return after.sum(name) - before.sum(name);
  }

  private static Double perSegment(double value, double segments) {
    return segments > 0 ? SecondBySecond.round(value / segments) : null;
  }

  private static JsonArray toArray(double[] values) {
    JsonArray array = new JsonArray();
    for (double value : values) {
      array.add(value);
    }
    return array;
  }
}
