package dev.swarmcdn.tracker;

import dev.swarmcdn.kit.ops.Observability;
import dev.swarmcdn.kit.run.ShutdownHook;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cdn tracker}: runs one tracker until stopped. */
@Command(name = "tracker", mixinStandardHelpOptions = true,
    description = {
        "Swarms of viewers: peers join the swarm of their stream and rendition",
        "over a WebSocket at /ws, get peers behind the same edge or network first,",
        "and relay WebRTC offers, answers and ICE candidates through it.",
        "WebTorrent clients (and p2p-media-loader) use it as a WebSocket tracker",
        "at ws://HOST:PORT/ or ws://HOST:PORT/announce.",
        "",
        "Every option can also be set as CDN_TRACKER_<OPTION> or under tracker:",
        "in the --config YAML file."})
public final class TrackerCommand implements Callable<Integer> {

  @Option(names = "--config", paramLabel = "FILE", description = "YAML config file.")
  Path configFile;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Interface to bind (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "8090", description = "HTTP and WebSocket port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--secret", paramLabel = "SECRET",
      description = "HMAC secret of join tokens: when set, every join needs a JWT (HS256) with claims stream and exp.")
  String secret;

  @Option(names = "--trusted-proxy", split = ",", paramLabel = "CIDR",
      description = "Reverse proxies whose X-Forwarded-For names the viewer (address or CIDR block); unset: the socket's address is the viewer's.")
  List<String> trustedProxies = List.of();

  @Option(names = "--max-peers", defaultValue = "20", description = "Longest peer list handed out (default: ${DEFAULT-VALUE}).")
  int maxPeers;

  @Option(names = "--ping-interval-ms", defaultValue = "20000",
      description = "How often peers must send a frame; told to them on connect (default: ${DEFAULT-VALUE}).")
  long pingIntervalMs;

  @Option(names = "--missed-pings", defaultValue = "3",
      description = "Close a connection silent for more than this many ping intervals (default: ${DEFAULT-VALUE}).")
  int missedPings;

  @Option(names = "--max-frame-bytes", defaultValue = "16384",
      description = "Larger messages are refused with too_large (default: ${DEFAULT-VALUE}).")
  int maxFrameBytes;

  @Option(names = "--hard-frame-bytes", defaultValue = "65536",
      description = "A message growing past this closes the connection (default: ${DEFAULT-VALUE}).")
  int hardFrameBytes;

  @Option(names = "--messages-per-second", defaultValue = "50",
      description = "Sustained messages per connection; more are refused with rate_limited (default: ${DEFAULT-VALUE}).")
  double messagesPerSecond;

  @Option(names = "--message-burst", defaultValue = "200",
      description = "Messages a connection may send at once (default: ${DEFAULT-VALUE}).")
  int messageBurst;

  @Option(names = "--max-swarms-per-connection", defaultValue = "4",
      description = "Swarms one connection may join (default: ${DEFAULT-VALUE}).")
  int maxSwarmsPerConnection;

  @Option(names = "--max-peers-per-swarm", defaultValue = "5000",
      description = "Members of one swarm (default: ${DEFAULT-VALUE}).")
  int maxPeersPerSwarm;

  @Option(names = "--max-bad-frames", defaultValue = "10",
      description = "Close a connection after more bad frames than this (default: ${DEFAULT-VALUE}).")
  int maxBadFrames;

  @Option(names = "--max-write-queue-bytes", defaultValue = "65536",
      description = "Bytes queued for a peer that does not read before it is closed (default: ${DEFAULT-VALUE}).")
  int maxWriteQueueBytes;

  @Option(names = "--webtorrent", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Also serve the WebTorrent tracker protocol at / and /announce (default: ${DEFAULT-VALUE}).")
  boolean webTorrent;

  @Option(names = "--announce-interval-s", defaultValue = "120",
      description = "How often WebTorrent clients are told to announce, in seconds (default: ${DEFAULT-VALUE}).")
  long announceIntervalSeconds;

  public TrackerConfig config() {
    return new TrackerConfig(host, port, Duration.ofMillis(pingIntervalMs), missedPings, maxPeers, secret,
        trustedProxies, new TrackerLimits(maxFrameBytes, hardFrameBytes, messagesPerSecond, messageBurst,
            maxSwarmsPerConnection, maxPeersPerSwarm, maxBadFrames, maxWriteQueueBytes),
        webTorrent, Duration.ofSeconds(announceIntervalSeconds));
  }

  @Override
  public Integer call() throws Exception {
    TrackerConfig config = config();
    Observability observability = Observability.create();
    Vertx vertx = observability.newVertx(new VertxOptions().setPreferNativeTransport(true));
    TrackerServer tracker = new TrackerServer(vertx, config, observability)
        .start().toCompletionStage().toCompletableFuture().get();
    System.out.println("tracker listening on " + tracker.webSocketUrl()
        + (config.secret() == null ? " (open: joins need no token)" : " (joins need a token)")
        + (config.webTorrent() ? "; WebTorrent tracker on " + tracker.webTorrentUrl() : ""));
    ShutdownHook.awaitExit(List.of(new ShutdownHook.Part("tracker", vertx, tracker::stop)));
    return 0;
  }
}
