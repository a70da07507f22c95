package dev.swarmcdn.kit.http;

import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Who may use an API guarded by a shared secret (the edge's purge, the tracker's edge registry): a
 * request bearing it as {@code Authorization: Bearer SECRET}, compared in constant time. No secret
 * configured: {@link #enabled()} is false and nobody is allowed; the caller decides whether that
 * means "disabled" or "open".
 */
public final class BearerAuth {

  private static final String SCHEME = "Bearer ";

  private final byte[] token;

  /** @param token the secret, or null/blank for none */
  public BearerAuth(String token) {
    this.token = token == null || token.isBlank() ? null : token.getBytes(StandardCharsets.UTF_8);
  }

  public boolean enabled() {
    return token != null;
  }

  public boolean allows(HttpServerRequest request) {
    String header = request.getHeader("Authorization");
    if (token == null || header == null || !header.startsWith(SCHEME)) {
      return false;
    }
    byte[] given = header.substring(SCHEME.length()).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(token, given);
  }

  /** The header value that passes, for clients. */
  public static String header(String token) {
    return SCHEME + token;
  }
}
