package dev.swarmcdn.tracker;

import dev.swarmcdn.protocol.registry.EdgeRegistration;
import dev.swarmcdn.tracker.routing.RouteTokens;
import java.time.Duration;

/**
 * The tracker's edge registry and {@code /route} (docs/PROTOCOL.md, "Edge registry and routing API").
 *
 * @param edgeSecret       shared secret edges present as a bearer token to register, heartbeat
 *                         and deregister (and operators to list them); null: no edge can
 *                         register, unless the registry is open
 * @param openRegistry     whether anyone may register an edge, without a secret: for trusted
 *                         networks only, since an edge in rotation is sent other edges' misses and
 *                         viewers; never together with an edge secret
 * @param heartbeatExpiry  an edge not heard from for this long is out of rotation
 * @param maxEdges         registrations beyond this many edges are refused
 * @param epsilon          how far above its fair share (by capacity) an edge's load may go before
 *                         streams spill to the next edge
 * @param originUrl        where viewers go when no edge is healthy; null: /route answers 503 then
 * @param publicUrl        the tracker's base URL as viewers reach it (behind a proxy); null: the
 *                         bind address
 * @param accessSecret     the edges' signed-URL secret, to mint edge tokens; null: none minted
 * @param accessPrefix     path prefix an edge token grants, {@code {stream}} replaced by the stream
 * @param tokenTtl         lifetime of the tokens /route mints
 * @param turn             TURN relays /route hands each viewer credentials for; {@link TurnConfig#NONE}: none
 */
public record RoutingConfig(
    String edgeSecret,
    boolean openRegistry,
    Duration heartbeatExpiry,
    int maxEdges,
    double epsilon,
    String originUrl,
    String publicUrl,
    String accessSecret,
    String accessPrefix,
    Duration tokenTtl,
    TurnConfig turn) {

  public static final RoutingConfig DEFAULTS = builder().build();

  public RoutingConfig {
    turn = turn == null ? TurnConfig.NONE : turn;
    if ((edgeSecret != null && edgeSecret.isEmpty()) || (accessSecret != null && accessSecret.isEmpty())) {
      throw new IllegalArgumentException("secrets must not be empty");
    }
    if (edgeSecret != null && openRegistry) {
      throw new IllegalArgumentException("--edge-secret and --open-registry exclude each other: "
          + "a registry is closed by the secret or open to anyone");
    }
    if (heartbeatExpiry.toMillis() < 1 || tokenTtl.toSeconds() < 1) {
      throw new IllegalArgumentException("the heartbeat expiry and token lifetime must be positive");
    }
    if (maxEdges < 1) {
      throw new IllegalArgumentException("the registry must hold at least one edge");
    }
    if (!(epsilon > 0)) {
      throw new IllegalArgumentException("epsilon must be positive");
    }
    originUrl = originUrl == null ? null : EdgeRegistration.baseUrl("origin", originUrl);
    publicUrl = publicUrl == null ? null : EdgeRegistration.baseUrl("public URL", publicUrl);
    if (!accessPrefix.startsWith("/") || !accessPrefix.contains(RouteTokens.STREAM_PLACEHOLDER)) {
      throw new IllegalArgumentException("the access prefix must start with / and hold "
          + RouteTokens.STREAM_PLACEHOLDER);
    }
  }

  /** The defaults, changed one setting at a time. */
  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder {
    private String edgeSecret;
    private boolean openRegistry;
    private Duration heartbeatExpiry = Duration.ofSeconds(15);
    private int maxEdges = 256;
    private double epsilon = 0.25;
    private String originUrl;
    private String publicUrl;
    private String accessSecret;
    private String accessPrefix = "/live/" + RouteTokens.STREAM_PLACEHOLDER + "/";
    private Duration tokenTtl = Duration.ofHours(1);
    private TurnConfig turn = TurnConfig.NONE;

    private Builder() {}

    public Builder edgeSecret(String value) {
      this.edgeSecret = value;
      return this;
    }

    /** Anyone may register an edge: for tests and trusted networks. */
    public Builder openRegistry() {
      this.openRegistry = true;
      return this;
    }

    public Builder heartbeatExpiry(Duration value) {
      this.heartbeatExpiry = value;
      return this;
    }

    public Builder origin(String value) {
      this.originUrl = value;
      return this;
    }

    public Builder accessSecret(String value) {
      this.accessSecret = value;
      return this;
    }

    /** The tracker's base URL as viewers reach it, when not the address it listens on. */
    public Builder publicUrl(String value) {
      this.publicUrl = value;
      return this;
    }

    /** TURN relays whose credentials /route mints per viewer. */
    public Builder turn(TurnConfig value) {
      this.turn = value;
      return this;
    }

    public RoutingConfig build() {
      return new RoutingConfig(edgeSecret, openRegistry, heartbeatExpiry, maxEdges, epsilon, originUrl, publicUrl, accessSecret,
          accessPrefix, tokenTtl, turn);
    }
  }
}
