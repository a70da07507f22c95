package dev.swarmcdn.tracker;

import dev.swarmcdn.kit.http.limits.RateLimit;
import dev.swarmcdn.kit.http.tls.TlsFiles;
import dev.swarmcdn.kit.ops.Observability;
import dev.swarmcdn.tracker.cluster.ClusterMember;
import dev.swarmcdn.tracker.cluster.ClusterSettings;
import dev.swarmcdn.tracker.cluster.ClusteredState;
import dev.swarmcdn.kit.run.ShutdownHook;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
        "Edges register at /edges and heartbeat; GET /route?stream=ID tells a viewer",
        "which edge to load from (consistent hashing with bounded loads).",
        "WebTorrent clients (and p2p-media-loader) use it as a WebSocket tracker",
        "at ws://HOST:PORT/ or ws://HOST:PORT/announce (wss:// with --tls-cert and --tls-key).",
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

  @Option(names = "--hide-after-reports", defaultValue = "2",
      description = "A peer reported by this many distinct peers of a swarm is left out of every list in it; "
          + "a reporter never gets the peer it reported again (default: ${DEFAULT-VALUE}).")
  int hideAfterReports;

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

  @Option(names = "--edge-secret", paramLabel = "SECRET",
      description = "Shared secret edges present (Authorization: Bearer) to register and heartbeat (their --tracker-secret); required unless --open-registry.")
  String edgeSecret;

  @Option(names = "--open-registry",
      description = "Let anyone register an edge, without a secret: for trusted networks only, since an edge in rotation is sent viewers and other edges' misses.")
  boolean openRegistry;

  @Option(names = "--edge-expiry-ms", defaultValue = "15000",
      description = "An edge not heard from for this long is out of rotation until its next heartbeat (default: ${DEFAULT-VALUE}).")
  long edgeExpiryMs;

  @Option(names = "--max-edges", defaultValue = "256", description = "Edges the registry holds (default: ${DEFAULT-VALUE}).")
  int maxEdges;

  @Option(names = "--route-epsilon", defaultValue = "0.25",
      description = "How far above its share of the load (by capacity) an edge may go before streams spill to the next (default: ${DEFAULT-VALUE}).")
  double routeEpsilon;

  @Option(names = "--origin", paramLabel = "URL",
      description = "Origin viewers are sent to when no edge is healthy; unset: /route answers 503 then.")
  String origin;

  @Option(names = "--public-url", paramLabel = "URL",
      description = "This tracker's base URL as viewers reach it, for the WebSocket URL /route hands out (default: the bind address).")
  String publicUrl;

  @Option(names = "--access-secret", paramLabel = "SECRET",
      description = "The edges' signed-URL secret: when set, /route hands viewers an edge token.")
  String accessSecret;

  @Option(names = "--access-prefix", defaultValue = "/live/{stream}/", paramLabel = "PREFIX",
      description = "Path prefix an edge token grants, {stream} replaced by the stream id (default: ${DEFAULT-VALUE}).")
  String accessPrefix;

  @Option(names = "--token-ttl-seconds", defaultValue = "3600",
      description = "Lifetime of the tokens /route hands out (default: ${DEFAULT-VALUE}).")
  long tokenTtlSeconds;

  @Option(names = "--turn-url", split = ",", paramLabel = "URL",
      description = "TURN relay URL(s) of one relay service (turn: or turns:, e.g. turn:turn.example.net:3478?transport=udp): "
          + "/route hands each viewer them with credentials of its own, minted from --turn-secret.")
  List<String> turnUrls = List.of();

  @Option(names = "--turn-secret", paramLabel = "SECRET",
      description = "The TURN server's static-auth-secret (coturn: use-auth-secret); required with --turn-url, or --turn-secret-file.")
  String turnSecret;

  @Option(names = "--turn-secret-file", paramLabel = "FILE",
      description = "A file whose first line is the TURN secret, instead of --turn-secret (keeps it out of the process list).")
  Path turnSecretFile;

  @Option(names = "--turn-ttl-seconds", defaultValue = "3600",
      description = "How long a viewer's TURN credentials are good for; a relayed connection needs them again to refresh "
          + "its allocation, so cover a viewing session (default: ${DEFAULT-VALUE}).")
  long turnTtlSeconds;

  @Option(names = "--cluster", description = "Join a cluster of trackers: swarms and signals are shared by every instance.")
  boolean cluster;

  @Option(names = "--cluster-name", defaultValue = "swarmcdn-tracker",
      description = "Only trackers with the same name form a cluster (default: ${DEFAULT-VALUE}).")
  String clusterName;

  @Option(names = "--cluster-host", defaultValue = "127.0.0.1",
      description = "IP address this instance binds and announces to the cluster (default: ${DEFAULT-VALUE}).")
  String clusterHost;

  @Option(names = "--cluster-port", defaultValue = "5701",
      description = "Cluster member port (default: ${DEFAULT-VALUE}).")
  int clusterPort;

  @Option(names = "--cluster-members", split = ",", defaultValue = "127.0.0.1", paramLabel = "HOST[:PORT]",
      description = "Where the other members are; a host alone means ports 5701-5703 (default: ${DEFAULT-VALUE}).")
  List<String> clusterMembers;

  public ClusterSettings clusterSettings() {
    return new ClusterSettings(clusterName, clusterHost, clusterPort, clusterMembers);
  }

  @Option(names = "--max-write-queue-bytes", defaultValue = "65536",
      description = "Bytes queued for a peer that does not read before it is closed (default: ${DEFAULT-VALUE}).")
  int maxWriteQueueBytes;

  @Option(names = "--webtorrent", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Also serve the WebTorrent tracker protocol at / and /announce (default: ${DEFAULT-VALUE}).")
  boolean webTorrent;

  @Option(names = "--announce-interval-s", defaultValue = "120",
      description = "How often WebTorrent clients are told to announce, in seconds (default: ${DEFAULT-VALUE}).")
  long announceIntervalSeconds;

  @Option(names = "--client-timeout-seconds", defaultValue = "30",
      description = "HTTP clients must complete each request head within this after connecting or after the previous response; idle HTTP connections close after it (default: ${DEFAULT-VALUE}).")
  int clientTimeoutSeconds;

  @Option(names = "--steer-fetchers", defaultValue = "1", paramLabel = "K",
      description = "Live viewers the tracker names to fetch each new live segment over HTTP first, so the rest "
          + "take it from the swarm; 0 turns steering off, at most 16 (default: ${DEFAULT-VALUE}).")
  int steerFetchers;

  @Option(names = "--rate-limit-per-second", defaultValue = "20",
      description = {"Sustained HTTP requests (WebSocket connections included) per second from one client address",
          "(behind a reverse proxy, set --trusted-proxy, or every viewer is the proxy); more get 429 with Retry-After.",
          "A viewer makes two a session (/route, /ws); 0 turns it off. /health, /ready and /metrics are never",
          "limited (default: ${DEFAULT-VALUE})."})
  double rateLimitPerSecond;

  @Option(names = "--rate-limit-burst", defaultValue = "200",
      description = "HTTP requests one client address may make at once: 100 viewers behind one NAT starting together (default: ${DEFAULT-VALUE}).")
  int rateLimitBurst;

  @Option(names = "--max-signals-per-peer-per-second", defaultValue = "250",
      description = {"Signals relayed to one peer in a second, from all senders; more are dropped and the sender gets",
          "rate_limited. A peer meeting 20 peers at once is sent an offer or answer and some ten ICE candidates",
          "by each (default: ${DEFAULT-VALUE})."})
  int maxSignalsPerPeerPerSecond;
  @Option(names = "--tls-cert", paramLabel = "PEM",
      description = "Certificate (then any intermediates) to serve HTTPS and WSS with, instead of HTTP and WS; needs --tls-key. Reloaded when the file changes.")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "PEM",
      description = "Private key of --tls-cert (PKCS#8, or PKCS#1 RSA, or SEC1 EC). Reloaded when the file changes.")
  Path tlsKey;

  public TrackerConfig config() {
    if (edgeSecret == null && !openRegistry) {
      // Refused at start, by name: the registry decides which servers viewers and edges trust.
      throw new IllegalArgumentException("the edge registry needs --edge-secret SECRET (CDN_TRACKER_EDGE_SECRET, "
          + "tracker.edge-secret), given to every edge as its --tracker-secret; or --open-registry on a trusted network");
    }
    return new TrackerConfig(host, port, Duration.ofMillis(pingIntervalMs), missedPings, maxPeers, hideAfterReports,
        secret, trustedProxies, new TrackerLimits(maxFrameBytes, hardFrameBytes, messagesPerSecond, messageBurst,
            maxSwarmsPerConnection, maxPeersPerSwarm, maxBadFrames, maxWriteQueueBytes,
            maxSignalsPerPeerPerSecond),
        new RoutingConfig(edgeSecret, openRegistry, Duration.ofMillis(edgeExpiryMs), maxEdges, routeEpsilon, origin, publicUrl,
            accessSecret, accessPrefix, Duration.ofSeconds(tokenTtlSeconds), turnConfig()),
        webTorrent, Duration.ofSeconds(announceIntervalSeconds), Duration.ofSeconds(clientTimeoutSeconds),
        steerFetchers, new RateLimit(rateLimitPerSecond, rateLimitBurst), TlsFiles.of(tlsCert, tlsKey));
  }

  /** The TURN flags, the secret read from its file when given so. */
  TurnConfig turnConfig() {
    if (turnSecret != null && turnSecretFile != null) {
      throw new IllegalArgumentException("give --turn-secret or --turn-secret-file, not both");
    }
    String secret = turnSecret;
    if (turnSecretFile != null) {
      try {
        secret = Files.readAllLines(turnSecretFile, StandardCharsets.UTF_8).stream().findFirst().orElse("").strip();
      } catch (IOException e) {
        throw new IllegalArgumentException("--turn-secret-file " + turnSecretFile + " cannot be read: " + e.getMessage(), e);
      }
      if (secret.isEmpty()) {
        throw new IllegalArgumentException("--turn-secret-file " + turnSecretFile + " holds no secret on its first line");
      }
    }
    return new TurnConfig(turnUrls, secret, Duration.ofSeconds(turnTtlSeconds));
  }

  @Override
  public Integer call() throws Exception {
    TrackerConfig config = config();
    Observability observability = Observability.create();
    // epoll where its native library loads: a tracker spends its time in small writes to many sockets.
    VertxOptions options = new VertxOptions().setPreferNativeTransport(true);
    Vertx vertx;
    TrackerServer unstarted;
    if (cluster) {
      ClusterMember member = ClusterMember.join(clusterSettings(), observability, options)
          .toCompletionStage().toCompletableFuture().get();
      vertx = member.vertx();
      unstarted = new TrackerServer(vertx, config, observability,
          ClusteredState.create(member, config, System::currentTimeMillis), System::currentTimeMillis);
    } else {
      vertx = observability.newVertx(options);
      unstarted = new TrackerServer(vertx, config, observability);
    }
    TrackerServer tracker = unstarted.start().toCompletionStage().toCompletableFuture().get();
    System.out.println("tracker listening on " + tracker.webSocketUrl()
        + (config.secret() == null ? " (open: joins need no token)" : " (joins need a token)")
        + (cluster ? ", clustered on " + clusterHost + ":" + clusterPort : "")
        + (config.webTorrent() ? "; WebTorrent tracker on " + tracker.webTorrentUrl() : ""));
    System.out.println("  edges register at " + tracker.baseUrl() + "/edges"
        + (config.routing().openRegistry() ? " (open registry: anyone may register an edge)" : " (with the edge secret)")
        + "; viewers ask " + tracker.baseUrl() + "/route?stream=ID"
        + (config.routing().turn().enabled() ? ", with TURN credentials for " + config.routing().turn().urls() : ""));
    ShutdownHook.awaitExit(List.of(new ShutdownHook.Part("tracker", vertx, tracker::stop)));
    return 0;
  }
}
