package dev.swarmcdn.edge;

import dev.swarmcdn.edge.registration.TrackerLink;
import dev.swarmcdn.edge.access.CorsHeaders;
import dev.swarmcdn.edge.access.PurgeEndpoint;
import dev.swarmcdn.edge.access.RequestRules;
import dev.swarmcdn.edge.access.stun.IceServerAdvertisement;
import dev.swarmcdn.edge.access.stun.StunServer;
import dev.swarmcdn.edge.access.stun.StunServerConfig;
import dev.swarmcdn.edge.security.ForwardingToken;
import dev.swarmcdn.edge.security.TokenGate;
import dev.swarmcdn.edge.forwarding.CachingProxy;
import dev.swarmcdn.edge.forwarding.EdgeMetrics;
import dev.swarmcdn.edge.forwarding.EdgeMetrics.CacheStatus;
import dev.swarmcdn.edge.forwarding.cache.CacheKeys;
import dev.swarmcdn.edge.forwarding.cache.DiskTier;
import dev.swarmcdn.edge.forwarding.cache.TieredCache;
import dev.swarmcdn.edge.forwarding.cache.FreshnessPolicy;
import dev.swarmcdn.edge.forwarding.cache.StorePolicy;
import dev.swarmcdn.edge.forwarding.cache.MemoryTier;
import dev.swarmcdn.edge.forwarding.cache.PurgeLog;
import dev.swarmcdn.edge.forwarding.fill.FillRegistry;
import dev.swarmcdn.edge.forwarding.integrity.SegmentIntegrity;
import dev.swarmcdn.edge.forwarding.routing.EdgeRing;
import dev.swarmcdn.edge.forwarding.routing.ShieldRouting;
import dev.swarmcdn.edge.forwarding.upstream.UpstreamClient;
import dev.swarmcdn.edge.forwarding.upstream.UpstreamRoutes;
import dev.swarmcdn.edge.registration.LoadSampler;
import dev.swarmcdn.edge.registration.TrackerRegistration;
import dev.swarmcdn.edge.seeding.CacheSeedSource;
import dev.swarmcdn.edge.seeding.SeederWatch;
import dev.swarmcdn.peer.rtc.RtcRuntime;
import dev.swarmcdn.peer.seeder.Seeder;
import dev.swarmcdn.peer.seeder.SeederOptions;
import dev.swarmcdn.kit.http.BearerAuth;
import dev.swarmcdn.kit.http.framing.RequestFraming;
import dev.swarmcdn.kit.http.limits.ClientRateLimiter;
import dev.swarmcdn.kit.http.tls.ServerTls;
import dev.swarmcdn.kit.http.tls.TlsTrust;
import dev.swarmcdn.kit.http.timeouts.SlowClientGuard;
import dev.swarmcdn.kit.ops.HttpServerMeters;
import dev.swarmcdn.kit.ops.Observability;
import dev.swarmcdn.kit.ops.OpsRoutes;
import dev.swarmcdn.kit.run.ListenFailure;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.PooledByteBufAllocator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The edge gateway, assembled: requests enter through the access layer ({@link RequestRules}),
 * the operational endpoints answer locally, and everything else goes to the forwarding layer
 * ({@link CachingProxy}: cache, coalescing, upstream).
 */
public final class EdgeServer {

  /** Where viewers and the tracker read the ICE servers this edge offers (RTCIceServer JSON). */
  public static final String ICE_SERVERS_PATH = "/_edge/ice-servers";
  static final int MAX_INITIAL_LINE = 8 * 1024;
  static final int MAX_HEADER_SIZE = 16 * 1024;

  private final Vertx vertx;
  private final EdgeConfig config;
  private final Observability observability;
  private final Consumer<Router> extraRoutes;
  /**
   * Where every body this edge holds lives (cached, on its way through, read back from disk): a pool
   * of its own, apart from the network's buffers, so what it holds can be measured.
   */
  private final PooledByteBufAllocator bodies = new PooledByteBufAllocator(true);
  private UpstreamClient upstream;
  private MemoryTier memory;
  private TieredCache cache;
  private ShieldRouting shield;
  private StunServer stun;
  private IceServerAdvertisement iceServers;
  private HttpServer server;
  private HttpServerMeters meters;
  private SlowClientGuard slowClients;
  private EdgeMetrics metrics;
  private TrackerRegistration registration;
  private CachingProxy proxy;
  private volatile Seeder seeder;
  private ServerTls tls;
  /** Whom the edge's clients believe over TLS: the JVM's CAs, and --tls-ca's. */
  private TlsTrust trust = TlsTrust.JVM;

  public EdgeServer(Vertx vertx, EdgeConfig config, Observability observability,
      Consumer<Router> extraRoutes) {
    this.vertx = vertx;
    this.config = config;
    this.observability = observability;
    this.extraRoutes = extraRoutes;
  }

  public Future<EdgeServer> start() {
    var registry = observability.registry();
    // The TLS files and the CA to trust first, off the event loop: a mistake is refused before
    // anything else starts. Then the disk scan, which reads every file's header.
    return vertx.executeBlocking(() -> {
          tls = config.tls().enabled()
              ? ServerTls.load(vertx, "edge " + config.id(), config.tls(), ServerTls.CHECK_INTERVAL) : null;
          trust = TlsTrust.withCa(config.tlsCa());
          return config.diskDir() == null ? null
              : DiskTier.open(config.diskDir(), config.diskBytes(), bodies, registry);
        })
        .compose(disk -> listen(registry, disk))
        .compose(edge -> startStun(registry).map(edge))
        .onSuccess(edge -> {
          registerWithTracker();
          startSeeder(registry);
        });
  }

  /** In the background: serving never waits for the tracker. */
  private void registerWithTracker() {
    TrackerLink link = config.tracker();
    if (!link.enabled()) {
      return;
    }
    LoadSampler sampler = new LoadSampler(slowClients::openConnections, meters::bytesWritten,
        () -> metrics.count(CacheStatus.HIT) + metrics.count(CacheStatus.STALE),
        () -> Arrays.stream(CacheStatus.values()).mapToDouble(metrics::count).sum(), System::nanoTime);
    // Configured peers win; without them, the edges the tracker lists share the cache. STUN is
    // bound by now, so the ICE servers sent hold its actual port.
    registration = new TrackerRegistration(vertx, link, trust, config.id(), publicUrl(), iceServers(), sampler,
        config.peers().isEmpty() ? shield::useMembers : learned -> { });
    registration.start();
  }

  /**
   * The seeder joins the tracker's swarms as viewers come (in the background, like registration).
   * Its ICE candidates are the edge's own addresses, which every viewer of this edge reaches.
   */
  private void startSeeder(MeterRegistry registry) {
    SeederConfig config = this.config.seeder();
    if (!config.enabled()) {
      return;
    }
    // ws:// for an http tracker, wss:// for an https one; the trackers in the order registration tries them.
    List<String> trackersWs = this.config.tracker().trackerUrls().stream()
        .map(url -> url.replaceFirst("^http", "ws") + "/ws").toList();
    seeder = Seeder.start(vertx, new SeederOptions(trackersWs, this.config.tracker().secret(), this.config.id(),
        config.maxPeers(), config.maxBytesPerSecond(), config.cacheBytes(), config.idle(), List.of(), trust),
        new CacheSeedSource(proxy), RtcRuntime.shared(), registry);
  }

  private Future<Void> startStun(MeterRegistry registry) {
    IceConfig ice = config.ice();
    if (!ice.stunEnabled()) {
      return Future.succeededFuture();
    }
    stun = new StunServer(new StunServerConfig(config.host(), ice.stunPort(), ice.maxDatagramBytes(),
        StunServerConfig.DEFAULT_SOFTWARE), registry);
    return stun.start()
        .onSuccess(started -> iceServers = ice.advertisement(config.host(), started.port()))
        .<Void>mapEmpty()
        // Two edges on one host collide on the default STUN port: name the port and the way out.
        .recover(failure -> Future.failedFuture(new IllegalStateException("STUN on UDP port "
            + ice.stunPort() + ": " + failure.getMessage() + " (choose another with --stun-port, -1 disables)",
            failure)));
  }

  private Future<EdgeServer> listen(MeterRegistry registry, DiskTier disk) {
    upstream = new UpstreamClient(vertx, config.timeouts(), trust);
    memory = new MemoryTier(config.memoryBytes(), registry);
    PurgeLog purges = new PurgeLog();
    LongSupplier cacheClock = config.clock()::millis;
    FillRegistry fills = new FillRegistry(upstream, bodies, cacheClock, purges, registry);
    Gauge.builder("edge_body_pool_bytes", bodies, pool -> pool.metric().usedDirectMemory())
        .description("Off-heap bytes the pool of bodies holds, cached or passing through").register(registry);
    FreshnessPolicy policy = new FreshnessPolicy(config.playlistTtl(), config.segmentTtl(),
        config.staleWhileRevalidate(), config.staleIfError());
    cache = new TieredCache(vertx, memory, disk, purges);
    metrics = new EdgeMetrics(registry);
    byte[] accessSecret = config.accessSecret() == null ? null : config.accessSecret().getBytes(StandardCharsets.UTF_8);
    LongSupplier nowSeconds = () -> System.currentTimeMillis() / 1000;
    shield = new ShieldRouting(config.id(), ShieldRouting.members(config.peers()),
        accessSecret == null ? null : new ForwardingToken(accessSecret, nowSeconds));
    CacheKeys cacheKeys = new CacheKeys(cacheKeyIgnores());
    proxy = new CachingProxy(vertx, config.id(), UpstreamRoutes.parse(config.routes()),
        cacheKeys, cache, fills, shield, new SegmentIntegrity(upstream, config.id(), cacheKeys, registry),
        new StorePolicy(policy),
        config.maxObjectBytes(), cacheClock, metrics);

    slowClients = new SlowClientGuard(vertx, config.clientTimeout(), registry, "edge");
    meters = observability.newHttpServerMeters();
    EdgeEgress.register(registry, meters, () -> seeder);
    Router router = Router.router(vertx);
    router.route().handler(meters);
    router.route().handler(new CorsHeaders());
    router.route().handler(slowClients);
    // Before any work, after CORS (a browser player can then read the 429). Edges forwarding misses
    // to an owner are limited like anyone: the hop header proves nothing (PROTOCOL.md, "Edge hop
    // header"), and a forwarding token is an access token any viewer may hold.
    router.route().handler(new ClientRateLimiter(config.rateLimit(), ClientRateLimiter.REMOTE_ADDRESS,
        ClientRateLimiter.TEXT, registry, "edge"));
    router.post(PurgeEndpoint.PATH).handler(new PurgeEndpoint(new BearerAuth(config.adminToken()), cache));
    router.route().handler(new RequestRules());
    OpsRoutes.mount(router, observability, () -> server != null, this::status);
    router.get(ICE_SERVERS_PATH).handler(ctx -> ctx.response()
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "public, max-age=60")
        .end(iceServers().toJsonString()));
    if (extraRoutes != null) {
      extraRoutes.accept(router);
    }
    if (accessSecret != null) {
      router.route().handler(new TokenGate(accessSecret, nowSeconds, registry));
    }
    if (config.seeder().enabled()) {
      router.route().method(HttpMethod.GET).handler(new SeederWatch(() -> seeder));
    }
    router.route().method(HttpMethod.GET).method(HttpMethod.HEAD).handler(proxy);

    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.host())
        .setPort(config.port())
        .setMaxInitialLineLength(MAX_INITIAL_LINE)
        .setMaxHeaderSize(MAX_HEADER_SIZE)
        .setIdleTimeout((int) SlowClientGuard.idleTimeoutMs(config.clientTimeout()))
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        .setTcpNoDelay(true)
        .setCompressionSupported(false)
        // HTTP/1.1 only, in clear or over TLS (ServerTls negotiates no ALPN): cleartext HTTP/2
        // upgrades gave HEAD requests a broken answer, and nothing here needs HTTP/2.
        .setHttp2ClearTextEnabled(false);
    if (tls != null) {
      tls.secure(options);
    }
    RequestFraming framing = new RequestFraming(options, registry);
    return vertx.createHttpServer(options)
        .connectionHandler(connection -> {
          framing.guard(connection);
          slowClients.connected(connection);
          UnsentBytesLimit.apply(connection);
        })
        .requestHandler(router)
        .invalidRequestHandler(meters.invalidRequests(framing.invalidRequests()))
        .listen()
        .recover(ListenFailure.naming("--port", options.getHost(), options.getPort()))
        .map(listening -> {
          server = listening;
          if (tls != null) {
            tls.watch(listening);
          }
          return this;
        });
  }

  /** The query parameters left out of cache keys: the configured ones, and the token's with access control on. */
  private Set<String> cacheKeyIgnores() {
    Set<String> ignored = new HashSet<>(config.ignoredQueryParameters());
    if (config.accessSecret() != null) {
      ignored.add(TokenGate.QUERY_PARAMETER);
    }
    return ignored;
  }

  /**
   * Replaces the set of edges that share the cache (this one included): each object's misses then
   * go to its owner among them. Empty: every miss goes to the origin.
   */
  public void usePeers(List<EdgeRing.Member> peers) {
    shield.useMembers(peers);
  }

  /** The set of edges sharing the cache now (configured, or learned from the tracker). */
  public List<EdgeRing.Member> peers() {
    return shield.members();
  }

  /** Completes when the edge is first registered with its tracker; fails at once without one. */
  public Future<Void> registeredWithTracker() {
    return registration == null ? Future.failedFuture(new IllegalStateException("no tracker configured"))
        : registration.registered();
  }

  /** The base URL viewers load from: configured, or this edge's public host (or bind host) and port. */
  public String publicUrl() {
    if (config.tracker().publicUrl() != null) {
      return config.tracker().publicUrl();
    }
    String publicHost = config.ice().publicHost();
    return publicHost == null ? baseUrl() : config.tls().httpScheme() + "://" + publicHost + ":" + port();
  }

  public String id() {
    return config.id();
  }

  /** The ICE servers this edge offers viewers; empty when STUN is disabled and no TURN is set. */
  public IceServerAdvertisement iceServers() {
    return iceServers != null ? iceServers : new IceServerAdvertisement(List.of());
  }

  /** The bound STUN port, or -1 when disabled. */
  public int stunPort() {
    return stun == null ? -1 : stun.port();
  }

  public int port() {
    return server.actualPort();
  }

  public String baseUrl() {
    String host = "0.0.0.0".equals(config.host()) ? "127.0.0.1" : config.host();
    return config.tls().httpScheme() + "://" + host + ":" + port();
  }

  public JsonObject status() {
    return new JsonObject()
        .put("id", config.id())
        .put("memoryBytes", memory == null ? 0 : memory.bytes())
        .put("memoryEntries", memory == null ? 0 : memory.size())
        .put("diskBytes", cache == null || cache.disk() == null ? 0 : cache.disk().bytes())
        .put("diskEntries", cache == null || cache.disk() == null ? 0 : cache.disk().size())
        .put("bodyPoolBytes", bodyPoolBytes())
        .put("stunPort", stunPort());
  }

  /** Off-heap bytes the pool of bodies holds: cached bodies and those on their way through. */
  public long bodyPoolBytes() {
    return bodies.metric().usedDirectMemory();
  }

  /** Deregisters from the tracker (if any), then closes. */
  public Future<Void> stop() {
    if (tls != null) {
      tls.stop();
    }
    if (seeder != null) {
      seeder.close();
    }
    Future<Void> deregistered = registration == null ? Future.succeededFuture() : registration.stop();
    Future<Void> closed = deregistered.transform(ignored -> server == null ? Future.succeededFuture() : server.close());
    return closed
        .transform(ignored -> stun == null ? Future.succeededFuture() : stun.stop())
        .transform(ignored -> upstream == null ? Future.succeededFuture() : upstream.close());
  }
}
