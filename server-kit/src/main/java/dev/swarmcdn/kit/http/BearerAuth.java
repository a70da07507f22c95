package dev.swarmcdn.edge.security;

import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Who may use the edge's admin API (purge): a request bearing the operator's admin token
 * ({@code Authorization: Bearer TOKEN}), compared in constant time. No token configured: nobody.
 */
public final class AdminAuth {

  private final byte[] token;

  /** @param token the admin token, or null/blank to disable the admin API */
  public AdminAuth(String token) {
    this.token = token == null || token.isBlank() ? null : token.getBytes(StandardCharsets.UTF_8);
  }

  public boolean enabled() {
    return token != null;
  }

  public boolean allows(HttpServerRequest request) {
    String header = request.getHeader("Authorization");
    if (token == null || header == null || !header.startsWith("Bearer ")) {
      return false;
    }
    byte[] given = header.substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(token, given);
  }
}
