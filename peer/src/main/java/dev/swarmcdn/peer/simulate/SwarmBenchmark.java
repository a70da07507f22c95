package dev.swarmcdn.peer.simulate;

import dev.swarmcdn.peer.engine.EngineOptions;
import dev.swarmcdn.peer.rtc.SpreadSessions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The swarm benchmark (load-tests/swarm/swarm-bench.sh starts the stack and runs this): every
 * scenario with P2P on and then off, one after the other in this JVM, against an origin, tracker
 * and edge running as their own processes; writes summary.json and report.html and prints their paths.
 */
@Command(name = "swarm-benchmark", mixinStandardHelpOptions = true,
    description = "Virtual viewers against a running stack, scenario by scenario, with P2P on and off.")
public final class SwarmBenchmark implements Callable<Integer> {

  @Option(names = "--src", required = true, description = "The master playlist on the edge.")
  String src;

  @Option(names = "--tracker", required = true, description = "The tracker's WebSocket, ws://HOST:PORT/ws.")
  String tracker;

  @Option(names = "--origin-http", required = true, description = "The origin's base URL (for /metrics).")
  String originHttp;

  @Option(names = "--edge-http", required = true, description = "The edge's base URL (for /metrics).")
  String edgeHttp;

  @Option(names = "--tracker-http", required = true, description = "The tracker's base URL (for /metrics).")
  String trackerHttp;

  @Option(names = "--tracker-pid", required = true, description = "The tracker's process, for its CPU and memory.")
  long trackerPid;

  @Option(names = "--clock-ticks", defaultValue = "100", description = "getconf CLK_TCK (default: ${DEFAULT-VALUE}).")
  long clockTicks;

  @Option(names = "--viewers", defaultValue = "100", description = "Viewers (default: ${DEFAULT-VALUE}).")
  int viewers;

  @Option(names = "--ramp-s", defaultValue = "30", description = "Seconds over which they join (default: ${DEFAULT-VALUE}).")
  long rampSeconds;

  @Option(names = "--duration-s", defaultValue = "180",
      description = "Seconds of live after the last joined (default: ${DEFAULT-VALUE}).")
  long durationSeconds;

  @Option(names = "--scenarios", split = ",", defaultValue = "steady,churn,slow,liar",
      description = "Scenarios, each run with P2P on then off (default: ${DEFAULT-VALUE}).")
  List<String> scenarios;

  @Option(names = "--max-peers", defaultValue = "6", description = "Peers per viewer (default: ${DEFAULT-VALUE}).")
  int maxPeers;

  @Option(names = "--cache-mb", defaultValue = "8", description = "Segment memory per viewer, MiB (default: ${DEFAULT-VALUE}).")
  long cacheMb;

  @Option(names = "--rtc-runtimes", defaultValue = "4",
      description = "libwebrtc runtimes the viewers' sessions are spread over, each with a network thread of its own,"
          + " as every real viewer has (default: ${DEFAULT-VALUE}).")
  int rtcRuntimes;

  @Option(names = "--chart-js", required = true, description = "Chart.js's UMD build, inlined into the report.")
  Path chartJs;

  @Option(names = "--chart-js-version", defaultValue = "?", description = "Its version, for the report.")
  String chartJsVersion;

  @Option(names = "--out", required = true, description = "Folder for summary.json and report.html.")
  Path out;

  public static void main(String[] args) {
    System.exit(new CommandLine(new SwarmBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    scenarios.forEach(name -> BenchScenario.pair(name, EngineOptions.builder().build())); // unknown names fail now
    Files.createDirectories(out);
    EngineOptions base = EngineOptions.builder().tracker(tracker).maxPeers(maxPeers).maxCacheBytes(cacheMb << 20)
        .build();
    JsonObject summary = new JsonObject()
        .put("started", now())
        .put("settings", new JsonObject().put("src", src).put("viewers", viewers).put("rampSeconds", rampSeconds)
            .put("durationSeconds", durationSeconds).put("scenarios", new JsonArray(List.copyOf(scenarios)))
            .put("maxPeers", maxPeers).put("cacheMb", cacheMb).put("rtcRuntimes", rtcRuntimes)
            .put("slowUploadBytesPerSecond", BenchScenario.SLOW_UPLOAD_BYTES_PER_SECOND))
        .put("machine", new JsonObject().put("cores", Runtime.getRuntime().availableProcessors())
            .put("loadBefore", loadAverage()))
        .put("chartJs", chartJsVersion);
    JsonArray runs = new JsonArray();
    summary.put("runs", runs);
    Path json = out.resolve("summary.json");
    Vertx vertx = Vertx.vertx();
    SpreadSessions sessions = new SpreadSessions(rtcRuntimes);
    try {
      ScenarioRun runner = new ScenarioRun(vertx, sessions, new StackProbe(originHttp, edgeHttp, trackerHttp),
          new ScenarioRun.Bench(src, viewers, Duration.ofSeconds(rampSeconds), Duration.ofSeconds(durationSeconds),
              trackerPid, clockTicks));
      for (String name : scenarios) {
        for (BenchScenario scenario : BenchScenario.pair(name, base)) {
          System.err.printf("%s: %s (%s)%n", now(), scenario.label(), scenario.description());
          JsonObject run = runner.run(scenario);
          runs.add(run);
          System.err.printf("  -> %s%n", oneLine(run));
          // Written after every run: a benchmark stopped half-way keeps what it measured.
          Files.writeString(json, summary.encodePrettily());
        }
      }
    } finally {
      sessions.close();
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    summary.put("finished", now());
    summary.getJsonObject("machine").put("loadAfter", loadAverage());
    summary.put("targets", Targets.check(runs));
    Files.writeString(json, summary.encodePrettily());
    Path html = out.resolve("report.html");
    HtmlReport.write(summary, chartJs, html);
    System.out.println("summary: " + json.toAbsolutePath());
    System.out.println("report:  " + html.toAbsolutePath());
    return 0;
  }

  private static String oneLine(JsonObject run) {
    return String.format("P2P %.1f %% (after ramp %s), edge copies/segment %s, origin %.2f req/segment, edge %.0f KB/segment, "
            + "%d stalls (%d ms), startup p50 %s ms, %d integrity failures, %d corrupted played, tracker CPU %.1f %%",
        run.getDouble("p2pShare") * 100,
        run.getDouble("p2pShareAfterRamp") == null ? "-" : String.format("%.1f %%", run.getDouble("p2pShareAfterRamp") * 100),
        run.getJsonObject("edgeCopiesPerSegment").getValue("mean", "-"),
        run.getJsonObject("origin").getDouble("requestsPerSegment", 0.0),
        run.getJsonObject("edge").getDouble("egressBytesPerSegment", 0.0) / 1000,
        run.getJsonObject("stalls").getLong("total"), run.getJsonObject("stalls").getLong("stalledMsTotal"),
        run.getJsonObject("startupMs").getValue("p50"),
        run.getJsonObject("integrity").getLong("failures"), run.getJsonObject("integrity").getLong("corruptedPlayed"),
        run.getJsonObject("tracker").getDouble("cpuMeanPercent"));
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (Exception e) {
      return "?";
    }
  }
}
