package dev.swarmcdn.tracker;

import dev.swarmcdn.kit.http.limits.RateLimit;
import dev.swarmcdn.kit.http.tls.TlsFiles;
import dev.swarmcdn.tracker.locality.AddressBlock;
import dev.swarmcdn.tracker.steering.SwarmSteering;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything the tracker is told at start. Immutable; built by {@link TrackerCommand} from flags,
 * environment and config file, or directly by tests and the demo.
 *
 * @param pingInterval    how often peers must send a frame (told to them in {@code welcome})
 * @param missedPings     a connection silent for more than this many intervals is closed
 * @param maxPeersListed  length cap of a peer list
 * @param hideAfterReports a peer reported (in {@code join}) by this many distinct peers of a swarm is
 *                        left out of every list in it; one that reported it never gets it again
 * @param secret          HMAC secret of join tokens (JWT HS256); null: joins need no token
 * @param trustedProxies  addresses or CIDR blocks of reverse proxies whose X-Forwarded-For is
 *                        believed; empty: the socket's address is the viewer's
 * @param routing         the edge registry and /route
 * @param webTorrent      whether the WebTorrent tracker protocol is served too (at {@code /} and
 *                        {@code /announce}); it has no place for join tokens
 * @param announceInterval how often WebTorrent clients are told to announce
 * @param clientTimeout   an HTTP connection must complete each request head within this of opening
 *                        or of its previous response, and one silent this long is closed (a
 *                        WebSocket is timed by its pings instead)
 * @param steerFetchers   live viewers named to fetch each new live segment over HTTP (steering);
 *                        0: no steering, engines decide alone
 * @param rateLimit       HTTP requests (WebSocket upgrades included) per second and burst per
 *                        client address, the one {@code trustedProxies} lets the tracker read;
 *                        {@link RateLimit#OFF} here by default, on by default in {@link TrackerCommand}
 * @param tls             certificate and key: HTTPS and WSS only on the port; {@link TlsFiles#NONE}:
 *                        plain HTTP and WS
 */
public record TrackerConfig(
    String host,
    int port,
    Duration pingInterval,
    int missedPings,
    int maxPeersListed,
    int hideAfterReports,
    String secret,
    List<String> trustedProxies,
    TrackerLimits limits,
    RoutingConfig routing,
    boolean webTorrent,
    Duration announceInterval,
    Duration clientTimeout,
    int steerFetchers,
    RateLimit rateLimit,
    TlsFiles tls) {

  /** Reporters are kept per reported peer up to this: it bounds what one reported peer costs. */
  public static final int MAX_HIDE_AFTER_REPORTS = 64;

  public TrackerConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(routing, "routing");
    Objects.requireNonNull(rateLimit, "rateLimit");
    tls = tls == null ? TlsFiles.NONE : tls;
    trustedProxies = List.copyOf(trustedProxies);
    // Parsed now so that a typo stops the start with its reason, not the first viewer.
    trustedProxies.forEach(AddressBlock::parse);
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if (pingInterval.toMillis() < 1 || missedPings < 1) {
      throw new IllegalArgumentException("ping interval and missed pings must be positive");
    }
    if (maxPeersListed < 1) {
      throw new IllegalArgumentException("a peer list must hold at least one peer");
    }
    if (hideAfterReports < 1 || hideAfterReports > MAX_HIDE_AFTER_REPORTS) {
      throw new IllegalArgumentException("hide-after-reports must be 1 to " + MAX_HIDE_AFTER_REPORTS);
    }
    if (secret != null && secret.isEmpty()) {
      throw new IllegalArgumentException("the join token secret must not be empty");
    }
    if (announceInterval.toSeconds() < 1) {
      throw new IllegalArgumentException("the announce interval must be at least a second");
    }
    if (clientTimeout.toSeconds() < 1) {
      throw new IllegalArgumentException("the client timeout must be at least a second");
    }
    if (steerFetchers < 0 || steerFetchers > SwarmSteering.MAX_FETCHERS) {
      throw new IllegalArgumentException("--steer-fetchers must be 0 (no steering) to " + SwarmSteering.MAX_FETCHERS
          + ", not " + steerFetchers);
    }
  }

  /** One tracker on localhost, open to every join. */
  public static Builder builder() {
    return new Builder();
  }

  /** Defaults for one machine, changed one setting at a time. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 8090;
    private Duration pingInterval = Duration.ofSeconds(20);
    private int missedPings = 3;
    private int maxPeersListed = 20;
    private int hideAfterReports = 2;
    private String secret;
    private List<String> trustedProxies = List.of();
    private TrackerLimits limits = TrackerLimits.DEFAULTS;
    private RoutingConfig routing = RoutingConfig.DEFAULTS;
    private boolean webTorrent = true;
    private Duration announceInterval = Duration.ofSeconds(120);
    private Duration clientTimeout = Duration.ofSeconds(30);
    private int steerFetchers = 1;
    private RateLimit rateLimit = RateLimit.OFF;
    private TlsFiles tls = TlsFiles.NONE;

    private Builder() {}

    public Builder port(int value) {
      this.port = value;
      return this;
    }

    /** The interface to listen on: 127.0.0.1 unless others must reach it (0.0.0.0 for every one). */
    public Builder host(String value) {
      this.host = value;
      return this;
    }

    public Builder ping(Duration interval, int missed) {
      this.pingInterval = interval;
      this.missedPings = missed;
      return this;
    }

    public Builder maxPeersListed(int value) {
      this.maxPeersListed = value;
      return this;
    }

    public Builder hideAfterReports(int value) {
      this.hideAfterReports = value;
      return this;
    }

    public Builder secret(String value) {
      this.secret = value;
      return this;
    }

    public Builder trustedProxies(List<String> value) {
      this.trustedProxies = value;
      return this;
    }

    public Builder limits(TrackerLimits value) {
      this.limits = value;
      return this;
    }

    public Builder routing(RoutingConfig value) {
      this.routing = value;
      return this;
    }

    public Builder webTorrent(boolean enabled, Duration interval) {
      this.webTorrent = enabled;
      this.announceInterval = interval;
      return this;
    }

    public Builder clientTimeout(Duration value) {
      this.clientTimeout = value;
      return this;
    }

    /** K, 0 for no steering. */
    public Builder steerFetchers(int value) {
      this.steerFetchers = value;
      return this;
    }

    /** Per-client HTTP request rate; off unless set (tests and the demo connect many peers from one address). */
    public Builder rateLimit(RateLimit value) {
      this.rateLimit = value;
      return this;
    }

    /** HTTPS and WSS with this certificate and key. */
    public Builder tls(TlsFiles value) {
      this.tls = value;
      return this;
    }

    public TrackerConfig build() {
      return new TrackerConfig(host, port, pingInterval, missedPings, maxPeersListed, hideAfterReports, secret,
          trustedProxies, limits, routing, webTorrent, announceInterval, clientTimeout, steerFetchers,
          rateLimit, tls);
    }
  }
}
