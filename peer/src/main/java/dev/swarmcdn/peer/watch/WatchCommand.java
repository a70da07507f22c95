package dev.swarmcdn.peer.watch;

import dev.swarmcdn.kit.http.tls.TlsTrust;
import dev.swarmcdn.peer.engine.EngineOptions;
import dev.swarmcdn.peer.util.OnOff;
import dev.swarmcdn.peer.rtc.RtcRuntime;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cdn peer watch URL}: the desktop peer, until Ctrl-C. */
@Command(name = "watch", mixinStandardHelpOptions = true,
    description = {
        "The desktop peer: joins a stream's swarm and serves the stream on a local",
        "HTTP port, so that any player plays it with P2P underneath, e.g.",
        "  cdn peer watch --route http://127.0.0.1:8090/route /live/demo/master.m3u8",
        "  ffplay http://127.0.0.1:8765/live/demo/master.m3u8",
        "The shared rendition's segments come from peers or over HTTP as the engine",
        "decides (upcoming ones from peers ahead of time); the rest passes through.",
        "A progress line every second on standard error; GET /stats (the fields of",
        "the browser's getStats()), /health, /ready and /metrics on the same port.",
        "Ctrl-C leaves the swarm (BYE to every peer) and exits.",
        "",
        "Every option can also be set as CDN_WATCH_<OPTION> or under watch: in the",
        "--config YAML file."})
public final class WatchCommand implements Callable<Integer> {
  private static final long START_BOUND_SECONDS = 60;

  @Option(names = "--config", paramLabel = "FILE", description = "YAML config file.")
  Path configFile;

  @Parameters(index = "0", paramLabel = "URL",
      description = "The stream's master playlist: a URL, or its path with --route (/live/NAME/master.m3u8).")
  String source;

  @Option(names = "--route", paramLabel = "URL",
      description = "The tracker's /route (http://HOST:8090/route): it names the edge, the tracker and the ICE servers.")
  String route;

  @Option(names = "--tracker", paramLabel = "URL", split = ",",
      description = "The trackers' WebSockets (ws://HOST:8090/ws), when not routed; neither: HTTP only. Several, comma-separated: when one dies the peer moves to the next and joins its swarms there (after the route's tracker, with --route).")
  List<String> tracker;

  @Option(names = "--listen", defaultValue = WatchOptions.DEFAULT_HOST + ":" + WatchOptions.DEFAULT_PORT,
      paramLabel = "HOST:PORT", description = "Where local players connect (default: ${DEFAULT-VALUE}).")
  String listen;

  @Option(names = "--tls-ca", paramLabel = "PEM",
      description = "CA certificate(s) trusted besides the JVM's, for an https edge and a wss tracker whose certificates a private CA signed (./cdn demo --tls prints its CA).")
  Path tlsCa;

  @Option(names = "--rendition", paramLabel = "NAME",
      description = "The rendition played through the swarm (its name or URI); others are passed through (default: the first listed).")
  String rendition;

  @Option(names = "--p2p", arity = "1", defaultValue = "on", converter = OnOff.class, paramLabel = "on|off",
      description = "Share segments at all; off: HTTP only (default: ${DEFAULT-VALUE}).")
  boolean p2p;

  @Option(names = "--upload", arity = "1", defaultValue = "on", converter = OnOff.class, paramLabel = "on|off",
      description = "Serve segments to peers; off: take only (default: ${DEFAULT-VALUE}).")
  boolean upload;

  @Option(names = "--max-upload-rate", defaultValue = "2000000", paramLabel = "BYTES/S",
      description = "Bytes per second served to peers, all together; 0: no limit (default: ${DEFAULT-VALUE}).")
  long maxUploadRate;

  @Option(names = "--max-peers", defaultValue = "6", paramLabel = "N",
      description = "Peers connected at once, 1-50 (default: ${DEFAULT-VALUE}).")
  int maxPeers;

  @Option(names = "--cache-mb", defaultValue = "64", paramLabel = "MB",
      description = "Memory for segments kept to serve peers (default: ${DEFAULT-VALUE}).")
  long cacheMb;

  @Option(names = "--relay-only",
      description = "Connect to peers through TURN relays only (iceTransportPolicy relay): as a viewer behind a strict "
          + "firewall would; needs the relay /route hands out (the tracker's --turn-url).")
  boolean relayOnly;

  @Option(names = "--progress", arity = "1", defaultValue = "on", converter = OnOff.class, paramLabel = "on|off",
      description = "The progress line every second on standard error (default: ${DEFAULT-VALUE}).")
  boolean progress;

  /** The options as the peer takes them; refuses bad values by name. */
  public WatchOptions options() {
    if (cacheMb < 0 || cacheMb > (1L << 20)) {
      throw new IllegalArgumentException("--cache-mb must be 0 to 1048576, not " + cacheMb);
    }
    String[] hostPort = WatchOptions.parseListen(listen);
    EngineOptions engine = EngineOptions.builder().route(route).trackerUrls(tracker).p2p(p2p).upload(upload)
        .maxUploadRate(maxUploadRate).maxPeers(maxPeers).maxCacheBytes(cacheMb << 20)
        .relayOnly(relayOnly).trust(TlsTrust.withCa(tlsCa)).build();
    return new WatchOptions(source, hostPort[0], Integer.parseInt(hostPort[1]), rendition, engine);
  }

  @Override
  public Integer call() throws Exception {
    WatchOptions options = options();
    WatchPeer peer = WatchPeer.start(options, RtcRuntime.shared(), progress ? System.err::println : null)
        .toCompletionStage().toCompletableFuture().get(START_BOUND_SECONDS, TimeUnit.SECONDS);
    System.out.println("swarmcdn desktop peer: play " + peer.playlistUrl());
    System.out.println("  e.g. ffplay " + peer.playlistUrl() + "   (or mpv, VLC)");
    System.out.println("  stats: " + statsUrl(peer) + "   /health /ready /metrics on the same port. Ctrl-C leaves the swarm.");
    LeaveOnSignal.awaitExit(List.of(peer.part()));
    return 0;
  }

  private static String statsUrl(WatchPeer peer) {
    String url = peer.playlistUrl();
    return url.substring(0, url.indexOf('/', "http://".length())) + "/stats";
  }
}
