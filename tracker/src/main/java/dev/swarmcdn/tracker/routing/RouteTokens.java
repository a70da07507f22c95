package dev.swarmcdn.tracker.routing;

import dev.swarmcdn.protocol.access.AccessToken;
import dev.swarmcdn.tracker.access.Hs256JoinTokens;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The tokens a viewer gets with its route, in the formats the edges and the tracker already check:
 * a signed URL token ({@link AccessToken}) granting the stream's path prefix on every edge, and a
 * join token (JWT HS256, {@link Hs256JoinTokens}) for the stream's swarms. Each is minted only when
 * the tracker holds its secret; both expire together.
 */
public final class RouteTokens {

  /** Where the stream id goes in the access prefix template. */
  public static final String STREAM_PLACEHOLDER = "{stream}";

  private final byte[] accessSecret;
  private final String accessPrefix;
  private final Hs256JoinTokens joinTokens;
  private final long ttlSeconds;
  private final LongSupplier nowSeconds;

  /**
   * @param accessSecret  the edges' signed-URL secret, or null: no edge token
   * @param accessPrefix  the path prefix an edge token grants, with {@value #STREAM_PLACEHOLDER}
   * @param joinSecret    the tracker's join token secret, or null: no join token
   */
  public RouteTokens(String accessSecret, String accessPrefix, String joinSecret, Duration ttl,
      LongSupplier nowSeconds) {
    this.accessSecret = accessSecret == null ? null : accessSecret.getBytes(StandardCharsets.UTF_8);
    this.accessPrefix = accessPrefix;
    this.joinTokens = joinSecret == null ? null
        : new Hs256JoinTokens(joinSecret.getBytes(StandardCharsets.UTF_8), nowSeconds);
    this.ttlSeconds = ttl.toSeconds();
    this.nowSeconds = nowSeconds;
  }

  /**
   * {@code {"edge": ..., "tracker": ..., "expires": ...}} for a viewer of {@code stream}, or null
   * when the tracker mints neither.
   *
   * @param forEdge false when the viewer is sent to the origin, which checks no token
   */
  public JsonObject mint(String stream, boolean forEdge) {
    boolean edgeToken = forEdge && accessSecret != null;
    if (!edgeToken && joinTokens == null) {
      return null;
    }
    long expires = nowSeconds.getAsLong() + ttlSeconds;
    JsonObject tokens = new JsonObject();
    if (edgeToken) {
      tokens.put("edge", new AccessToken(accessPrefix.replace(STREAM_PLACEHOLDER, stream), expires).sign(accessSecret));
    }
    if (joinTokens != null) {
      tokens.put("tracker", joinTokens.issue(stream, expires));
    }
    return tokens.put("expires", expires);
  }
}
