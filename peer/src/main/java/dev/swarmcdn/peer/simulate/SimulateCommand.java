package dev.swarmcdn.peer.simulate;

import dev.swarmcdn.kit.http.tls.TlsTrust;
import dev.swarmcdn.peer.engine.EngineOptions;
import dev.swarmcdn.peer.player.VirtualPlayer;
import dev.swarmcdn.peer.rtc.SpreadSessions;
import dev.swarmcdn.peer.util.OnOff;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cdn peer simulate}: virtual viewers of one stream in this JVM, then their figures. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = {
        "Virtual viewers of a stream in one JVM: each a Java peer engine with a player that",
        "consumes segments at real time without decoding (it starts when the first segment",
        "arrives, stalls when the next one is missing). Prints a line a second and a summary.",
        "",
        "Every option can also be set as CDN_SIMULATE_<OPTION> or under simulate: in the",
        "--config YAML file."})
public final class SimulateCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "URL",
      description = "The master playlist: a URL, or a path with --route (e.g. /live/demo/master.m3u8).")
  String src;

  @Option(names = "--config", paramLabel = "FILE", description = "YAML config file.")
  Path configFile;

  @Option(names = "--tracker", paramLabel = "URL", split = ",",
      description = "The tracker's WebSocket, ws://HOST:PORT/ws; several, comma-separated: each viewer moves to the next when one dies.")
  List<String> tracker;

  @Option(names = "--route", paramLabel = "URL", description = "The tracker's /route: asked for the edge, tracker and tokens.")
  String route;

  @Option(names = "--viewers", defaultValue = "10", description = "Viewers (default: ${DEFAULT-VALUE}).")
  int viewers;

  @Option(names = "--ramp-s", defaultValue = "10", description = "Seconds over which viewers join (default: ${DEFAULT-VALUE}).")
  long rampSeconds;

  @Option(names = "--duration-s", defaultValue = "60",
      description = "Seconds of playing after the last viewer joined (default: ${DEFAULT-VALUE}).")
  long durationSeconds;

  @Option(names = "--p2p", arity = "1", defaultValue = "on", converter = OnOff.class, paramLabel = "on|off",
      description = "Share segments between viewers at all (default: ${DEFAULT-VALUE}).")
  boolean p2p;

  @Option(names = "--max-peers", defaultValue = "6", description = "Peers per viewer (default: ${DEFAULT-VALUE}).")
  int maxPeers;

  @Option(names = "--max-upload-rate", defaultValue = "2000000",
      description = "Bytes per second each viewer serves, 0 for no limit (default: ${DEFAULT-VALUE}).")
  long maxUploadRate;

  @Option(names = "--cache-mb", defaultValue = "8",
      description = "Segment memory per viewer, MiB (default: ${DEFAULT-VALUE}: a live window or two).")
  long cacheMb;

  @Option(names = "--relay-only",
      description = "Connect to peers through TURN relays only (iceTransportPolicy relay): as a viewer behind a strict "
          + "firewall would; needs the relay /route hands out (the tracker's --turn-url).")
  boolean relayOnly;

  @Option(names = "--tls-ca", paramLabel = "PEM",
      description = "CA certificate(s) trusted besides the JVM's, for an https edge and a wss tracker whose certificates a private CA signed (./cdn demo --tls prints its CA).")
  Path tlsCa;

  @Option(names = "--rtc-runtimes", defaultValue = "4",
      description = "libwebrtc runtimes the viewers' sessions are spread over, each with a network thread of its own,"
          + " as every real viewer has (default: ${DEFAULT-VALUE}; each starts on its first session).")
  int rtcRuntimes;

  @Option(names = "--rendition", paramLabel = "NAME", description = "The variant to play (default: the first listed).")
  String rendition;

  @Override
  public Integer call() throws Exception {
    if ((tracker == null) == (route == null) && p2p) {
      throw new CommandLine.ParameterException(spec.commandLine(), "give exactly one of --tracker and --route");
    }
    if (rtcRuntimes < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--rtc-runtimes must be at least 1");
    }
    EngineOptions options = EngineOptions.builder().trackerUrls(tracker).route(route).p2p(p2p)
        .maxPeers(maxPeers).maxUploadRate(maxUploadRate).maxCacheBytes(cacheMb << 20)
        .relayOnly(relayOnly).trust(TlsTrust.withCa(tlsCa)).build();
    Vertx vertx = Vertx.vertx();
    SpreadSessions sessions = new SpreadSessions(rtcRuntimes);
    try {
      SwarmSimulation simulation = new SwarmSimulation(vertx, sessions);
      SimulationReport report = simulation.run(new SwarmSimulation.Settings(src, viewers,
          Duration.ofSeconds(rampSeconds), Duration.ofSeconds(durationSeconds), i -> options,
          new VirtualPlayer.Settings(rendition, 4, 30)), (elapsedMs, now) ->
          System.err.printf("%4d s  %s%n", elapsedMs / 1000, now.summary()));
      System.out.println(report.summary());
      return 0;
    } finally {
      sessions.close();
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
