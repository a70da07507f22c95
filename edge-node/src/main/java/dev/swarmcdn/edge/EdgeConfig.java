package dev.swarmcdn.edge;

import dev.swarmcdn.edge.registration.TrackerLink;
import dev.swarmcdn.edge.forwarding.upstream.UpstreamRoutes;
import dev.swarmcdn.edge.forwarding.upstream.UpstreamTimeouts;
import dev.swarmcdn.kit.http.limits.RateLimit;
import dev.swarmcdn.kit.http.tls.TlsFiles;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything the edge is told at start. Immutable; built by {@link EdgeCommand} from flags,
 * environment and config file, or directly by tests and the demo.
 *
 * @param id                this edge's name, sent upstream in the hop header
 * @param routes            {@code [HOST][PREFIX]=URL|URL} or a bare origin URL, see UpstreamRoutes
 * @param memoryBytes       bound of the memory tier (off-heap bodies)
 * @param maxObjectBytes    larger objects are passed through, not stored
 * @param ignoredQueryParameters  query parameters left out of the cache key
 * @param playlistTtl       freshness of playlists regardless of upstream, or null to follow it
 * @param segmentTtl        freshness of media segments regardless of upstream, or null
 * @param staleWhileRevalidate  default when the upstream names none
 * @param staleIfError      default when the upstream names none
 * @param peers             the set of edges sharing the cache as {@code ID=URL}, this one included;
 *                          empty: no owner routing, every miss goes to the origin
 * @param accessSecret      HMAC secret of signed URLs; null: no access control
 * @param adminToken        bearer token of the admin API (purge); null: admin API disabled
 * @param diskDir           folder of the disk tier; null: memory only
 * @param diskBytes         bound of the disk tier
 * @param clientTimeout     a client must complete each request head within this after connecting
 *                          or after the previous response ended, and a connection idle this long is
 *                          closed
 * @param ice               STUN endpoint and TURN servers offered to viewers
 * @param tracker           the tracker this edge registers with, or {@link TrackerLink#NONE}
 * @param seeder            the WebRTC seeder; on, it needs the tracker
 * @param rateLimit         requests per second and burst per client address (the connection's:
 *                          the edge reads no forwarding header); {@link RateLimit#OFF} here by
 *                          default, on by default in {@link EdgeCommand}
 * @param tls               certificate and key: HTTPS only on the port; {@link TlsFiles#NONE}: plain HTTP
 * @param tlsCa             CA certificates (PEM) the edge's clients trust besides the JVM's: towards
 *                          https origins and edges, the https tracker and its wss; null: the JVM's only
 * @param clock             what the cache measures ages and freshness with; null: the system clock
 *                          (tests give a clock they move, instead of waiting out a max-age)
 */
public record EdgeConfig(
    String host,
    int port,
    String id,
    List<String> routes,
    long memoryBytes,
    long maxObjectBytes,
    Set<String> ignoredQueryParameters,
    Duration playlistTtl,
    Duration segmentTtl,
    Duration staleWhileRevalidate,
    Duration staleIfError,
    UpstreamTimeouts timeouts,
    List<String> peers,
    String accessSecret,
    String adminToken,
    Path diskDir,
    long diskBytes,
    Duration clientTimeout,
    IceConfig ice,
    TrackerLink tracker,
    SeederConfig seeder,
    RateLimit rateLimit,
    TlsFiles tls,
    Path tlsCa,
    Clock clock) {

  public EdgeConfig {
    tls = tls == null ? TlsFiles.NONE : tls;
    clock = clock == null ? Clock.systemUTC() : clock;
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tracker, "tracker");
    Objects.requireNonNull(seeder, "seeder");
    Objects.requireNonNull(rateLimit, "rateLimit");
    if (seeder.enabled() && !tracker.enabled()) {
      throw new IllegalArgumentException("--seeder needs --tracker: the seeder joins the tracker's swarms");
    }
    routes = List.copyOf(routes);
    ignoredQueryParameters = Set.copyOf(ignoredQueryParameters);
    peers = List.copyOf(peers);
    if (!peers.isEmpty() && peers.stream().noneMatch(peer -> peer.startsWith(id + "="))) {
      throw new IllegalArgumentException("the peer list must include this edge (" + id + "=URL)");
    }
    if (routes.isEmpty()) {
      throw new IllegalArgumentException("the edge needs at least one upstream (--origin)");
    }
    // A malformed route is refused at start, with its form, not at the first request.
    UpstreamRoutes.parse(routes);
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if (memoryBytes < 1024 * 1024) {
      throw new IllegalArgumentException("memory tier must hold at least 1 MiB");
    }
    if (maxObjectBytes <= 0 || maxObjectBytes > memoryBytes) {
      throw new IllegalArgumentException("max object size must be positive and fit the memory tier");
    }
  }

  /** One edge in front of {@code originUrl}, on localhost, with a 256 MiB memory tier. */
  public static Builder builder(String originUrl) {
    return new Builder(List.of(originUrl));
  }

  /** Defaults for one machine, changed one setting at a time. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 8081;
    private String id = "edge-1";
    private List<String> routes;
    private long memoryBytes = 256L << 20;
    private long maxObjectBytes = 64L << 20;
    private Set<String> ignoredQueryParameters = Set.of("token", "expires", "signature");
    private Duration playlistTtl;
    private Duration segmentTtl;
    private Duration staleWhileRevalidate = Duration.ofSeconds(2);
    private Duration staleIfError = Duration.ofSeconds(60);
    private UpstreamTimeouts timeouts = UpstreamTimeouts.defaults();
    private List<String> peers = List.of();
    private String accessSecret;
    private String adminToken;
    private Path diskDir;
    private long diskBytes = 1L << 30;
    private Duration clientTimeout = Duration.ofSeconds(30);
    private IceConfig ice = IceConfig.NONE;
    private TrackerLink tracker = TrackerLink.NONE;
    private SeederConfig seeder = SeederConfig.OFF;
    private RateLimit rateLimit = RateLimit.OFF;
    private TlsFiles tls = TlsFiles.NONE;
    private Path tlsCa;
    private Clock clock = Clock.systemUTC();

    private Builder(List<String> routes) {
      this.routes = routes;
    }

    /** The interface to bind: 0.0.0.0 for every one. */
    public Builder host(String value) {
      this.host = value;
      return this;
    }

    public Builder port(int value) {
      this.port = value;
      return this;
    }

    /** Replaces the single origin with routes, see {@link EdgeConfig#routes}. */
    public Builder routes(List<String> value) {
      this.routes = value;
      return this;
    }

    public Builder id(String value) {
      this.id = value;
      return this;
    }

    public Builder memory(long bytes, long maxObject) {
      this.memoryBytes = bytes;
      this.maxObjectBytes = maxObject;
      return this;
    }

    /** Freshness of playlists whatever the upstream says; null follows the upstream. */
    public Builder playlistTtl(Duration value) {
      this.playlistTtl = value;
      return this;
    }

    /** Freshness of media segments whatever the upstream says; null follows the upstream. */
    public Builder segmentTtl(Duration value) {
      this.segmentTtl = value;
      return this;
    }

    /** Replaces the query parameters left out of the cache key. */
    public Builder ignoreQuery(Set<String> value) {
      this.ignoredQueryParameters = value;
      return this;
    }

    public Builder stale(Duration whileRevalidate, Duration ifError) {
      this.staleWhileRevalidate = whileRevalidate;
      this.staleIfError = ifError;
      return this;
    }

    public Builder timeouts(UpstreamTimeouts value) {
      this.timeouts = value;
      return this;
    }

    public Builder peers(List<String> value) {
      this.peers = value;
      return this;
    }

    public Builder accessSecret(String value) {
      this.accessSecret = value;
      return this;
    }

    public Builder adminToken(String value) {
      this.adminToken = value;
      return this;
    }

    public Builder disk(Path dir, long bytes) {
      this.diskDir = dir;
      this.diskBytes = bytes;
      return this;
    }

    public Builder clientTimeout(Duration value) {
      this.clientTimeout = value;
      return this;
    }

    public Builder ice(IceConfig value) {
      this.ice = value;
      return this;
    }

    public Builder tracker(TrackerLink value) {
      this.tracker = value;
      return this;
    }

    public Builder seeder(SeederConfig value) {
      this.seeder = value;
      return this;
    }

    /** Per-client request rate; off unless set (tests and the demo make many requests from one address). */
    public Builder rateLimit(RateLimit value) {
      this.rateLimit = value;
      return this;
    }

    /** HTTPS with this certificate and key. */
    public Builder tls(TlsFiles value) {
      this.tls = value;
      return this;
    }

    /** CA certificates (PEM) trusted besides the JVM's by the edge's clients; null: the JVM's only. */
    public Builder tlsCa(Path value) {
      this.tlsCa = value;
      return this;
    }

    /** The clock the cache measures ages and freshness with. */
    public Builder clock(Clock value) {
      this.clock = value;
      return this;
    }

    public EdgeConfig build() {
      return new EdgeConfig(host, port, id, routes, memoryBytes, maxObjectBytes,
          ignoredQueryParameters, playlistTtl, segmentTtl, staleWhileRevalidate, staleIfError,
          timeouts, peers, accessSecret, adminToken, diskDir, diskBytes, clientTimeout, ice, tracker, seeder, rateLimit, tls, tlsCa,
          clock);
    }
  }
}
