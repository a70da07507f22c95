package dev.swarmcdn.peer.simulate;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The time series of one run, a point a second as the simulation reports: viewers playing, the
 * share of bytes delivered from peers within that second and over the last ten (a segment lasts
 * two: with few viewers a single second is all or nothing), and the tracker process's CPU (% of
 * one core over that second) and resident memory.
 */
final class SecondBySecond implements SwarmSimulation.Progress {
  private final long trackerPid;
  private final long clockTicks;
  private final long rampMs;
  private final JsonArray seconds = new JsonArray();
  private final JsonArray playing = new JsonArray();
  private final JsonArray p2pShare = new JsonArray();
  private final JsonArray p2pShare10s = new JsonArray();
  /** Delivered bytes so far at each report: {http, p2p}. */
  private final List<long[]> delivered = new ArrayList<>();
  private final JsonArray trackerCpu = new JsonArray();
  private final JsonArray trackerRssMib = new JsonArray();
  private long lastHttp;
  private long lastP2p;
  private long lastMs;
  private ProcessSample lastTracker;
  private ProcessSample firstTracker;
  private double peakCpu;
  private long peakRssKib;
  /** Delivered bytes when the ramp ended: the share after the ramp is counted from there. */
  private long rampHttp = -1;
  private long rampP2p = -1;

  SecondBySecond(long trackerPid, long clockTicks, long rampMs) throws IOException {
    this.trackerPid = trackerPid;
    this.clockTicks = clockTicks;
    this.rampMs = rampMs;
    this.lastTracker = ProcessSample.of(trackerPid);
    this.firstTracker = lastTracker;
    this.peakRssKib = lastTracker.rssKib();
  }

  @Override
  public void report(long elapsedMs, SimulationReport now) {
    ProcessSample tracker;
    try {
      tracker = ProcessSample.of(trackerPid);
    } catch (IOException e) {
      throw new IllegalStateException("the tracker (pid " + trackerPid + ") is gone", e);
    }
    // From edges, whichever transport: HTTP and seeders' data channels.
    long http = now.deliveredEdge();
    long p2p = now.deliveredP2p();
    long delivered = http - lastHttp + p2p - lastP2p;
    double cpu = 100.0 * (tracker.cpuTicks() - lastTracker.cpuTicks()) / clockTicks * 1000 / Math.max(1, elapsedMs - lastMs);
    seconds.add(elapsedMs / 1000.0);
    playing.add(now.perViewer().stream().filter(viewer -> !viewer.left()).count());
    p2pShare.add(delivered > 0 ? round4((double) (p2p - lastP2p) / delivered) : null);
    this.delivered.add(new long[] {http, p2p});
    long[] tenAgo = this.delivered.size() > 10 ? this.delivered.get(this.delivered.size() - 11) : new long[2];
    long window = http - tenAgo[0] + p2p - tenAgo[1];
    p2pShare10s.add(window > 0 ? round4((double) (p2p - tenAgo[1]) / window) : null);
    trackerCpu.add(round(cpu));
    trackerRssMib.add(round(tracker.rssKib() / 1024.0));
    if (rampHttp < 0 && elapsedMs >= rampMs) {
      rampHttp = http;
      rampP2p = p2p;
    }
    peakCpu = Math.max(peakCpu, cpu);
    peakRssKib = Math.max(peakRssKib, tracker.rssKib());
    lastHttp = http;
    lastP2p = p2p;
    lastMs = elapsedMs;
    lastTracker = tracker;
  }

  /** P2P share of what was delivered after the ramp, given the run's final figures; null if nothing was. */
  Double shareAfterRamp(SimulationReport end) {
    long http = end.deliveredEdge() - Math.max(0, rampHttp);
    long p2p = end.deliveredP2p() - Math.max(0, rampP2p);
    return http + p2p > 0 ? (double) p2p / (http + p2p) : null;
  }

  JsonObject series() {
    return new JsonObject().put("t", seconds).put("playing", playing).put("p2pShare", p2pShare).put("p2pShare10s", p2pShare10s)
        .put("trackerCpuPercent", trackerCpu).put("trackerRssMib", trackerRssMib);
  }

  JsonObject tracker() {
    double cpuSeconds = (double) (lastTracker.cpuTicks() - firstTracker.cpuTicks()) / clockTicks;
    return new JsonObject()
        .put("cpuSeconds", round(cpuSeconds))
        .put("cpuMeanPercent", round(100 * cpuSeconds * 1000 / Math.max(1, lastMs)))
        .put("cpuPeakPercent", round(peakCpu))
        .put("rssStartMib", round(firstTracker.rssKib() / 1024.0))
        .put("rssPeakMib", round(peakRssKib / 1024.0))
        .put("rssEndMib", round(lastTracker.rssKib() / 1024.0));
  }

  static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }

  static double round4(double value) {
    return Math.round(value * 10_000) / 10_000.0;
  }
}
