package dev.swarmcdn.tracker.routing;

import dev.swarmcdn.protocol.registry.IceServer;
import dev.swarmcdn.tracker.TurnConfig;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Short-lived TURN credentials in coturn's {@code use-auth-secret} scheme (the "TURN REST API"
 * draft, draft-uberti-behave-turn-rest): username {@code <expiry-unix-seconds>:<viewer-id>},
 * password {@code base64(HMAC-SHA1(secret, username))}. The TURN server shares only the secret
 * with the tracker and checks both the MAC and that the expiry has not passed, so it keeps no user
 * list and a credential a viewer leaks stops working by itself.
 */
public final class TurnCredentials {

  private static final String MAC = "HmacSHA1";

  private final TurnConfig config;
  private final SecretKeySpec key;
  private final LongSupplier nowSeconds;

  /** @param config with TURN URLs and their secret ({@link TurnConfig#enabled()}) */
  public TurnCredentials(TurnConfig config, LongSupplier nowSeconds) {
    if (!config.enabled()) {
      throw new IllegalArgumentException("no TURN relay configured");
    }
    this.config = config;
    this.key = new SecretKeySpec(config.secret().getBytes(StandardCharsets.UTF_8), MAC);
    this.nowSeconds = nowSeconds;
  }

  /** The relays' {@code RTCIceServer} entry for one viewer, valid for the configured lifetime from now. */
  public IceServer iceServerFor(String viewerId) {
    String username = username(nowSeconds.getAsLong() + config.ttl().toSeconds(), viewerId);
    return new IceServer(config.urls(), username, password(username));
  }

  /** {@code <expiry>:<viewer-id>}: what coturn reads the expiry from. */
  static String username(long expiresEpochSeconds, String viewerId) {
    if (viewerId.isEmpty() || viewerId.contains(":")) {
      // coturn takes the expiry from before the first colon; an id with its own would still pass,
      // but one username per viewer is the point.
      throw new IllegalArgumentException("a viewer id must be non-empty and hold no colon");
    }
    return expiresEpochSeconds + ":" + viewerId;
  }

  /** {@code base64(HMAC-SHA1(secret, username))}, standard Base64 with padding, as coturn computes it. */
  String password(String username) {
    try {
      Mac mac = Mac.getInstance(MAC);
      mac.init(key);
      return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 is in every JDK", e);
    }
  }
}
