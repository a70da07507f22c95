package dev.swarmcdn.launcher;

import dev.swarmcdn.edge.EdgeConfig;
import dev.swarmcdn.edge.SeederConfig;
import dev.swarmcdn.edge.EdgeServer;
import dev.swarmcdn.edge.IceConfig;
import dev.swarmcdn.edge.registration.TrackerLink;
import dev.swarmcdn.kit.http.PlayerPage;
import dev.swarmcdn.kit.http.tls.TlsFiles;
import dev.swarmcdn.kit.ops.Observability;
import dev.swarmcdn.kit.run.ShutdownHook;
import dev.swarmcdn.origin.OriginConfig;
import dev.swarmcdn.origin.OriginServer;
import dev.swarmcdn.tracker.RoutingConfig;
import dev.swarmcdn.tracker.TrackerConfig;
import dev.swarmcdn.tracker.TrackerServer;
import dev.swarmcdn.tracker.TurnConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The whole system in one process, on localhost: what {@code ./cdn demo} runs and what its test
 * starts. Each server gets its own Vert.x and metrics registry, as it would in its own process, so
 * their {@code /metrics} do not mix. Each part joins here as its issue lands.
 */
public final class Demo implements AutoCloseable {

  /** The live stream the demo generates. */
  public static final String STREAM = "demo";
  private static final long START_BOUND_SECONDS = 60;

  private final List<ShutdownHook.Part> parts;
  private final String originUrl;
  private final List<EdgeServer> edges;
  private final TrackerServer tracker;
  private final String edgeSecret;
  private final DemoTls tls;
  private final Relay relay;

  /**
   * The demo's TURN relay, or why it has none.
   *
   * @param server coturn, running; null when not started
   * @param whyNot why not, when not
   */
  public record Relay(CoturnRelay server, String whyNot) {
    /** For the banner. */
    public String describe() {
      return server != null ? server.url() + "  (TURN on: coturn, credentials per viewer in /route; log "
          + server.logFile() + ")" : "off: " + whyNot;
    }
  }

  private Demo(List<ShutdownHook.Part> parts, String originUrl, List<EdgeServer> edges, TrackerServer tracker,
      String edgeSecret, DemoTls tls, Relay relay) {
    this.parts = List.copyOf(parts);
    this.originUrl = originUrl;
    this.edges = List.copyOf(edges);
    this.tracker = tracker;
    this.edgeSecret = edgeSecret;
    this.tls = tls;
    this.relay = relay;
  }

  /**
   * Starts the origin with the demo's live stream, then a tracker on {@code trackerPort} (falling
   * back to the origin when no edge is healthy), then {@code edgePorts.size()} edges in front of the
   * origin that register with the tracker; the origin and edges also serve the player page at
   * {@code /player/}. Blocks until all listen and every edge is registered.
   */
  public static Demo start(OriginConfig originConfig, List<Integer> edgePorts, int trackerPort) throws Exception {
    return start(originConfig, edgePorts, trackerPort, null);
  }

  /**
   * As {@link #start(OriginConfig, List, int)}, over TLS when {@code tls} is given: every server
   * serves HTTPS (the tracker WSS) with its certificate, and the edges trust its CA for their own
   * clients (the origin, the tracker and its WebSocket, each other).
   */
  public static Demo start(OriginConfig originConfig, List<Integer> edgePorts, int trackerPort, DemoTls tls)
      throws Exception {
    return start(originConfig, edgePorts, trackerPort, tls, null);
  }

  /**
   * As {@link #start(OriginConfig, List, int, DemoTls)}, reachable from other machines when
   * {@code publicHost} is given (a name or address of this machine): the tracker and the edges
   * listen on every interface and hand out URLs, STUN endpoints and ICE candidates with that host.
   * The origin stays on 127.0.0.1: only the edges fetch from it. Fixed ports then: the tracker's
   * public URL is known before it starts.
   */
  public static Demo start(OriginConfig originConfig, List<Integer> edgePorts, int trackerPort, DemoTls tls,
      String publicHost) throws Exception {
    if (publicHost != null && (trackerPort == 0 || edgePorts.contains(0))) {
      throw new IllegalArgumentException("--host needs fixed ports");
    }
    String listenHost = publicHost == null ? "127.0.0.1" : "0.0.0.0";
    TlsFiles files = tls == null ? TlsFiles.NONE : tls.files();
    Path trustedCa = tls == null ? null : tls.ca().cert();
    List<ShutdownHook.Part> parts = new ArrayList<>();
    try {
      Observability originMetrics = Observability.create();
      Vertx originVertx = originMetrics.newVertx(new VertxOptions());
      OriginServer origin = new OriginServer(originVertx, originConfig.withLive(List.of(STREAM)).withTls(files),
          originMetrics, PlayerPage::mount);
      parts.add(new ShutdownHook.Part("origin", originVertx, origin::stop));
      origin.start().toCompletionStage().toCompletableFuture().get(START_BOUND_SECONDS, TimeUnit.SECONDS);

      // A TURN relay for viewers no STUN gets through, when coturn is installed: the tracker mints
      // each viewer's credentials for it.
      Relay relay = startRelay(originConfig.dataDir().resolveSibling("turn"));
      if (relay.server() != null) {
        parts.add(ShutdownHook.Part.of("turn relay", relay.server()::close));
      }

      // The tracker first: the edges register with it, and learn from it the set that shares the cache.
      // Its registry is closed like any tracker's, with a secret made for this run that only the
      // demo's own edges get: nothing else on the machine can put an edge in rotation.
      String edgeSecret = randomSecret();
      Observability trackerMetrics = Observability.create();
      Vertx trackerVertx = trackerMetrics.newVertx(new VertxOptions());
      TrackerServer tracker = new TrackerServer(trackerVertx, TrackerConfig.builder().host(listenHost).port(trackerPort).tls(files)
          .routing(RoutingConfig.builder().edgeSecret(edgeSecret).origin(origin.baseUrl())
              .publicUrl(publicHost == null ? null : files.httpScheme() + "://" + publicHost + ":" + trackerPort)
              .turn(relay.server() == null ? TurnConfig.NONE : relay.server().turnConfig(TurnConfig.DEFAULT_TTL))
              .build()).build(),
          trackerMetrics);
      parts.add(new ShutdownHook.Part("tracker", trackerVertx, tracker::stop));
      tracker.start().toCompletionStage().toCompletableFuture().get(START_BOUND_SECONDS, TimeUnit.SECONDS);

      List<EdgeServer> edges = new ArrayList<>();
      for (int i = 0; i < edgePorts.size(); i++) {
        Observability edgeMetrics = Observability.create();
        Vertx edgeVertx = edgeMetrics.newVertx(new VertxOptions());
        String id = "edge-" + (i + 1);
        // Kept across demo runs, like a real edge's: the origin never reuses a live file name.
        Path cache = originConfig.dataDir().resolveSibling(id).resolve("cache");
        EdgeServer edge = new EdgeServer(edgeVertx,
            EdgeConfig.builder(origin.baseUrl()).id(id).host(listenHost).port(edgePorts.get(i))
                .disk(cache, 512L << 20)
                // Any free UDP port: two edges on one machine cannot both have 3478.
                .ice(new IceConfig(0, 1500, publicHost, List.of(), null, null))
                .tracker(TrackerLink.to(tracker.baseUrl()).withSecret(edgeSecret))
                // Each edge joins its viewers' swarms as a WebRTC super-peer.
                .seeder(SeederConfig.on())
                .tls(files)
                .tlsCa(trustedCa)
                .build(),
            edgeMetrics, PlayerPage::mount);
        parts.add(new ShutdownHook.Part(id, edgeVertx, edge::stop));
        edge.start().toCompletionStage().toCompletableFuture().get(START_BOUND_SECONDS, TimeUnit.SECONDS);
        edges.add(edge);
      }
      // Registration runs in the background; the printed /route should already name an edge.
      for (EdgeServer edge : edges) {
        edge.registeredWithTracker().toCompletionStage().toCompletableFuture().get(START_BOUND_SECONDS, TimeUnit.SECONDS);
      }
      return new Demo(parts, origin.baseUrl(), edges, tracker, edgeSecret, tls, relay);
    } catch (Exception e) {
      ShutdownHook.closeAll(parts);
      throw e;
    }
  }

  /** coturn on this machine's interface address, or why not: the demo runs without a relay then. */
  private static Relay startRelay(Path dir) {
    Optional<Path> turnserver = CoturnRelay.installed();
    if (turnserver.isEmpty()) {
      return new Relay(null, "turnserver (coturn) is not installed; scripts/install-deps installs it");
    }
    Optional<String> address = InterfaceAddress.ipv4();
    if (address.isEmpty()) {
      return new Relay(null, "no network interface besides loopback, where WebRTC gathers no candidates");
    }
    try {
      return new Relay(CoturnRelay.start(turnserver.get(), address.get(), dir), null);
    } catch (IOException e) {
      return new Relay(null, e.getMessage());
    }
  }

  /** 256 random bits, URL-safe: a secret of one demo run (the edges', the TURN relay's). */
  static String randomSecret() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public static OriginConfig defaultOrigin(int port, Path dataDir, Path mediaRoot) {
    return OriginConfig.defaults().withDirectories(mediaRoot, dataDir.resolve("origin")).withPort(port);
  }

  public List<ShutdownHook.Part> parts() {
    return parts;
  }

  public String originUrl() {
    return originUrl;
  }

  public List<String> edgeUrls() {
    return edges.stream().map(EdgeServer::publicUrl).toList();
  }

  public List<EdgeServer> edges() {
    return edges;
  }

  public TrackerServer tracker() {
    return tracker;
  }

  /** The demo's certificates when it runs over TLS, else null. */
  public DemoTls tls() {
    return tls;
  }

  /** The tracker's edge secret, made for this run: what reads or changes its edge registry. */
  public String edgeSecret() {
    return edgeSecret;
  }

  /** The TURN relay /route hands out, or why there is none. */
  public Relay relay() {
    return relay;
  }

  /** The page a viewer opens: the player, loading the live stream through the first edge, with P2P through the tracker. */
  public String playerUrl() {
    return edgeUrls().get(0) + PlayerPage.PATH + "?src=/live/" + STREAM + "/master.m3u8&tracker=" + tracker.viewerWebSocketUrl();
  }

  /** Where a viewer of the demo stream asks which edge to load from. */
  public String routeUrl() {
    return tracker.viewerBaseUrl() + "/route?stream=" + STREAM;
  }

  public String masterPlaylistUrl(String base) {
    return base + "/live/" + STREAM + "/master.m3u8";
  }

  @Override
  public void close() {
    ShutdownHook.closeAll(parts);
  }
}
