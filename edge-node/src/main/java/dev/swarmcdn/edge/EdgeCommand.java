package dev.swarmcdn.edge;

import dev.swarmcdn.edge.registration.TrackerLink;
import dev.swarmcdn.edge.forwarding.upstream.UpstreamTimeouts;
import dev.swarmcdn.kit.http.PlayerPage;
import dev.swarmcdn.kit.http.limits.RateLimit;
import dev.swarmcdn.kit.http.tls.TlsFiles;
import dev.swarmcdn.kit.ops.Observability;
import dev.swarmcdn.kit.run.ShutdownHook;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cdn edge}: runs one edge gateway until stopped. */
@Command(name = "edge", mixinStandardHelpOptions = true,
    description = {
        "Caching gateway in front of the origin: memory tier bounded by bytes, one upstream fetch",
        "per object however many viewers miss at once, stale serving while refreshing or while the",
        "origin fails.",
        "",
        "Every option can also be set as CDN_EDGE_<OPTION> or under edge: in the --config YAML file."})
public final class EdgeCommand implements Callable<Integer> {

  @Option(names = "--config", paramLabel = "FILE", description = "YAML config file.")
  Path configFile;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Interface to bind (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "8081", description = "HTTP port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--id", defaultValue = "edge-1", description = "This edge's name (default: ${DEFAULT-VALUE}).")
  String id;

  @Option(names = "--origin", split = ",", defaultValue = "http://127.0.0.1:8080", paramLabel = "[HOST][PREFIX=]URL[|URL]",
      description = {"Upstream origin(s): a bare URL serves everything; /PREFIX=URL a path prefix on every host; HOST=URL",
          "every path of one host (Host header, without port); HOST/PREFIX=URL a prefix of one host. A host's routes come",
          "first, longest prefix winning; later URLs of one route are tried when earlier fail (default: ${DEFAULT-VALUE})."})
  List<String> origins;

  @Option(names = "--peers", split = ",", paramLabel = "ID=URL",
      description = "Every edge sharing the cache, this one included: each object's misses go to its owner edge, which alone asks the origin.")
  List<String> peers = List.of();

  @Option(names = "--access-secret", paramLabel = "SECRET",
      description = "HMAC secret of signed URLs: when set, every request needs a valid token (query token= or path /~t/TOKEN/).")
  String accessSecret;

  @Option(names = "--admin-token", paramLabel = "TOKEN",
      description = "Bearer token of the admin API (POST /_edge/purge); unset: admin API disabled.")
  String adminToken;

  @Option(names = "--disk-dir", paramLabel = "DIR",
      description = "Folder of the disk tier, kept across restarts (default: data/edge/ID/cache).")
  Path diskDir;

  @Option(names = "--disk-mb", defaultValue = "1024", description = "Disk tier size in MiB; 0 disables it (default: ${DEFAULT-VALUE}).")
  long diskMb;

  @Option(names = "--memory-mb", defaultValue = "256", description = "Memory tier size in MiB (default: ${DEFAULT-VALUE}).")
  long memoryMb;

  @Option(names = "--max-object-mb", defaultValue = "64", description = "Largest object stored, MiB (default: ${DEFAULT-VALUE}).")
  long maxObjectMb;

  @Option(names = "--ignore-query", split = ",", defaultValue = "token,expires,signature", paramLabel = "NAME",
      description = "Query parameters left out of the cache key (default: ${DEFAULT-VALUE}).")
  Set<String> ignoredQuery;

  @Option(names = "--playlist-ttl", paramLabel = "SECONDS",
      description = "Freshness of playlists, whatever the origin says (default: follow the origin).")
  Integer playlistTtl;

  @Option(names = "--segment-ttl", paramLabel = "SECONDS",
      description = "Freshness of media segments, whatever the origin says (default: follow the origin).")
  Integer segmentTtl;

  @Option(names = "--stale-while-revalidate", defaultValue = "2", paramLabel = "SECONDS",
      description = "Serve a stale object while refreshing it, when the origin names no limit (default: ${DEFAULT-VALUE}).")
  int staleWhileRevalidate;

  @Option(names = "--stale-if-error", defaultValue = "60", paramLabel = "SECONDS",
      description = "Serve a stale object while the origin fails, when it names no limit (default: ${DEFAULT-VALUE}).")
  int staleIfError;

  @Option(names = "--event-loops", defaultValue = "0",
      description = "Event-loop threads; 0: one per core this process may run on (default: ${DEFAULT-VALUE}).")
  int eventLoops;

  @Option(names = "--client-timeout-seconds", defaultValue = "30",
      description = "Clients must complete each request head within this after connecting or after the previous response; idle connections close after it (default: ${DEFAULT-VALUE}).")
  int clientTimeoutSeconds;

  @Option(names = "--stun-port", defaultValue = "3478",
      description = "UDP port of the edge's STUN endpoint for viewers behind NAT; -1 disables it (default: ${DEFAULT-VALUE}).")
  int stunPort;

  @Option(names = "--public-host", paramLabel = "HOST",
      description = "Host viewers reach this edge by, advertised in its ICE servers (default: the bind host).")
  String publicHost;

  @Option(names = "--turn-url", split = ",", paramLabel = "URL",
      description = "TURN server(s) to advertise to viewers, e.g. turn:turn.example.net:3478?transport=udp.")
  List<String> turnUrls = List.of();

  @Option(names = "--turn-username", description = "Username for the TURN server(s).")
  String turnUsername;

  @Option(names = "--turn-credential", description = "Credential for the TURN server(s).")
  String turnCredential;

  @Option(names = "--connect-timeout-ms", defaultValue = "2000", description = "Upstream connect timeout (default: ${DEFAULT-VALUE}).")
  long connectTimeoutMs;

  @Option(names = "--first-byte-timeout-ms", defaultValue = "5000", description = "Upstream response head timeout (default: ${DEFAULT-VALUE}).")
  long firstByteTimeoutMs;

  @Option(names = "--idle-timeout-ms", defaultValue = "10000", description = "Upstream body idle timeout (default: ${DEFAULT-VALUE}).")
  long idleTimeoutMs;

  @Option(names = "--tracker", paramLabel = "URL", split = ",",
      description = "Tracker to register with (e.g. http://tracker:8090, or https://): it then routes viewers here; without --peers, the edges it lists become the set sharing the cache. Several (comma-separated): the next is tried when one fails.")
  List<String> tracker = List.of();

  @Option(names = "--tracker-secret", paramLabel = "SECRET", description = "The tracker's edge secret (its --edge-secret).")
  String trackerSecret;

  @Option(names = "--public-url", paramLabel = "URL",
      description = "Base URL viewers load from, told to the tracker (default: http://PUBLIC-HOST:PORT, https:// with --tls-cert).")
  String publicUrl;

  @Option(names = "--capacity", defaultValue = "1000",
      description = "Viewer connections this edge serves well; the tracker sends it viewers in proportion (default: ${DEFAULT-VALUE}).")
  long capacity;

  @Option(names = "--heartbeat-interval-ms", defaultValue = "5000",
      description = "How often the edge reports its load to the tracker (default: ${DEFAULT-VALUE}).")
  long heartbeatIntervalMs;

  @Option(names = "--seeder", negatable = true, defaultValue = "false",
      description = "Join the WebRTC swarms of the live renditions viewers play here, and serve them this edge's cached segments over data channels (needs --tracker; default: ${DEFAULT-VALUE}).")
  boolean seeder;

  @Option(names = "--seeder-max-peers", defaultValue = "32",
      description = "Viewers the seeder serves at once, per swarm (default: ${DEFAULT-VALUE}).")
  int seederMaxPeers;

  @Option(names = "--seeder-max-mbps", defaultValue = "100",
      description = "The seeder's upload over all swarms, megabits per second; 0 for no cap (default: ${DEFAULT-VALUE}).")
  double seederMaxMbps;

  @Option(names = "--rate-limit-per-second", defaultValue = "100",
      description = {"Sustained requests per second from one client address; more get 429 with Retry-After. A viewer",
          "makes 1-3 a second, so the default lets 30-100 viewers share an address (a NAT); 0 turns it off.",
          "/health, /ready and /metrics are never limited (default: ${DEFAULT-VALUE})."})
  double rateLimitPerSecond;

  @Option(names = "--rate-limit-burst", defaultValue = "500",
      description = "Requests one client address may make at once after a quiet spell: players starting together (default: ${DEFAULT-VALUE}).")
  int rateLimitBurst;
  @Option(names = "--tls-cert", paramLabel = "PEM",
      description = "Certificate (then any intermediates) to serve HTTPS with, instead of plain HTTP; needs --tls-key. Reloaded when the file changes.")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "PEM",
      description = "Private key of --tls-cert (PKCS#8, or PKCS#1 RSA, or SEC1 EC). Reloaded when the file changes.")
  Path tlsKey;

  @Option(names = "--tls-ca", paramLabel = "PEM",
      description = "CA certificate(s) trusted besides the JVM's by this edge's clients: https origins and edges, the https tracker and its wss.")
  Path tlsCa;

  public EdgeConfig config() {
    return new EdgeConfig(host, port, id, origins, memoryMb << 20, maxObjectMb << 20, ignoredQuery,
        playlistTtl == null ? null : Duration.ofSeconds(playlistTtl),
        segmentTtl == null ? null : Duration.ofSeconds(segmentTtl),
        Duration.ofSeconds(staleWhileRevalidate), Duration.ofSeconds(staleIfError),
        new UpstreamTimeouts(Duration.ofMillis(connectTimeoutMs), Duration.ofMillis(firstByteTimeoutMs),
            Duration.ofMillis(idleTimeoutMs)), peers, accessSecret, adminToken,
        diskMb <= 0 ? null : diskDir != null ? diskDir : Path.of("data", "edge", id, "cache"),
        diskMb << 20, Duration.ofSeconds(clientTimeoutSeconds),
        new IceConfig(stunPort, 1500, publicHost, turnUrls, turnUsername, turnCredential),
        new TrackerLink(tracker, trackerSecret, publicUrl, capacity, Duration.ofMillis(heartbeatIntervalMs)),
        new SeederConfig(seeder, seederMaxPeers, seederMaxMbps, SeederConfig.OFF.cacheBytes(), SeederConfig.OFF.idle()),
        new RateLimit(rateLimitPerSecond, rateLimitBurst), TlsFiles.of(tlsCert, tlsKey), tlsCa,
        Clock.systemUTC());
  }

  @Override
  public Integer call() throws Exception {
    EdgeConfig config = config();
    Observability observability = Observability.create();
    // One event loop per core, as nginx runs a worker per core: the edge never blocks a loop, and
    // more loops than cores only take turns on them, which shows in the latency tail. Netty's
    // native epoll transport where the platform has it.
    int loops = eventLoops > 0 ? eventLoops : Runtime.getRuntime().availableProcessors();
    Vertx vertx = observability.newVertx(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(true));
    // The web player's page and bundles, from the class path (./cdn has the web-player jar on it).
    EdgeServer edge = new EdgeServer(vertx, config, observability, PlayerPage::mount)
        .start().toCompletionStage().toCompletableFuture().get();
    System.out.println("edge " + config.id() + " listening on " + edge.baseUrl() + " in front of "
        + String.join(", ", config.routes()));
    if (config.tracker().enabled()) {
      System.out.println("  registers as " + edge.publicUrl() + " with the tracker at " + config.tracker().trackerUrl()
          + " (in the background; serving does not wait for it)");
    }
    if (config.ice().stunEnabled()) {
      System.out.println("  ICE servers for viewers: " + edge.iceServers().toJsonString());
    }
    ShutdownHook.awaitExit(List.of(new ShutdownHook.Part("edge " + config.id(), vertx, edge::stop)));
    return 0;
  }
}
