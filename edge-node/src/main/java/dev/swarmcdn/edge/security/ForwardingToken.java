package dev.swarmcdn.edge.security;

import dev.swarmcdn.protocol.access.AccessToken;
import java.util.function.LongSupplier;

/**
 * What lets an edge's forwarded request past the owner edge's {@link TokenGate}. A miss on a
 * non-owner is fetched from the owner for every viewer waiting on it, under the cache key, which
 * holds no viewer's token; so the forwarding edge signs a token of its own, with the access secret
 * every edge of the set shares, for exactly the object's path and a few minutes, and sends it in
 * {@link #HEADER}. Whoever could replay it gets that one object, which only someone holding a
 * viewer's token for it made the edge fetch.
 */
public final class ForwardingToken {

  /** Request header carrying an access token; checked by {@link TokenGate} like the other forms. */
  public static final String HEADER = "X-Swarmcdn-Token";

  /** Long enough for a fetch and a retry on another upstream, and for clocks a little apart. */
  static final long LIFETIME_SECONDS = 300;

  private final byte[] secret;
  private final LongSupplier nowSeconds;

  public ForwardingToken(byte[] secret, LongSupplier nowSeconds) {
    this.secret = secret.clone();
    this.nowSeconds = nowSeconds;
  }

  /** A token granting {@code path} alone, for {@link #LIFETIME_SECONDS}. */
  public String forPath(String path) {
    return new AccessToken(path, nowSeconds.getAsLong() + LIFETIME_SECONDS).sign(secret);
  }
}
