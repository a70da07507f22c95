package dev.swarmcdn.tracker.registry;

import dev.swarmcdn.kit.http.BearerAuth;
import io.vertx.core.http.HttpServerRequest;

/**
 * Whom the tracker takes for one of its edges: a request bearing the edge secret
 * ({@code Authorization: Bearer SECRET}, compared in constant time), or anyone when the registry
 * was opened on purpose. The one rule of the edge registry ({@link EdgeEndpoints}) and of seeder
 * joins on the tracker's WebSocket, whose upgrade request is read the same way.
 */
public final class EdgeCredentials {

  /** What a request showed. */
  public enum Trust {
    /** No edge: the secret was missing or wrong, and the registry is closed. */
    NONE,
    /** Anyone is an edge here (an open registry, no secret): what it showed proves nothing. */
    OPEN,
    /** It carried the edge secret. */
    SECRET;

    public boolean edge() {
      return this != NONE;
    }
  }

  /** Nobody is an edge. */
  public static final EdgeCredentials NOBODY = new EdgeCredentials(null, false);

  private final BearerAuth auth;
  private final boolean open;

  /**
   * @param secret the edge secret, or null for none
   * @param open   anyone counts as an edge without a secret (trusted networks only)
   */
  public EdgeCredentials(String secret, boolean open) {
    this.auth = new BearerAuth(secret);
    this.open = open;
  }

  public Trust trust(HttpServerRequest request) {
    if (auth.allows(request)) {
      return Trust.SECRET;
    }
    return open ? Trust.OPEN : Trust.NONE;
  }

  /** Whether a secret is configured at all. */
  public boolean hasSecret() {
    return auth.enabled();
  }
}
