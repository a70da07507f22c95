package dev.swarmcdn.protocol.access;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A signed grant to fetch everything below a path prefix until an expiry: what the tracker hands a
 * viewer and what an edge checks before anything else. Written
 * {@code EXPIRY.PREFIX.SIGNATURE}, where EXPIRY is epoch seconds, PREFIX the base64url of the path
 * prefix, and SIGNATURE the base64url HMAC-SHA256, under the shared secret, of
 * {@code "swarmcdn-access/1\n" + prefix + "\n" + expiry}. All three parts are URL-safe, so the
 * token can travel as a query parameter or as a path segment (which relative playlist URIs then
 * carry along). See docs/PROTOCOL.md.
 *
 * @param prefix        path prefix the token grants, e.g. {@code /live/demo/}
 * @param expiresAt     epoch seconds after which it is refused
 */
public record AccessToken(String prefix, long expiresAt) {

  private static final String CONTEXT = "swarmcdn-access/1\n";
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  public AccessToken {
    Objects.requireNonNull(prefix, "prefix");
    if (!prefix.startsWith("/")) {
      throw new IllegalArgumentException("prefix must start with '/': " + prefix);
    }
  }

  /** Why a token was refused; the edge sends the reason with its 403. */
  public enum Refusal {
    MISSING("no access token"),
    MALFORMED("access token is malformed"),
    BAD_SIGNATURE("access token signature does not match"),
    EXPIRED("access token has expired"),
    WRONG_PATH("access token does not cover this path");

    private final String reason;

    Refusal(String reason) {
      this.reason = reason;
    }

    public String reason() {
      return reason;
    }
  }

  /** The outcome of checking one token against one request path. */
  public record Check(AccessToken token, Refusal refusal) {
    public boolean granted() {
      return refusal == null;
    }
  }

  public String sign(byte[] secret) {
    return expiresAt + "." + ENCODER.encodeToString(prefix.getBytes(StandardCharsets.UTF_8)) + "."
        + ENCODER.encodeToString(mac(secret, prefix, expiresAt));
  }

  /**
   * Checks {@code token} for a request of {@code path} at {@code nowSeconds}. The signature is
   * compared in constant time and checked before the expiry, so a forger learns nothing from the
   * answer.
   */
  public static Check verify(String token, byte[] secret, String path, long nowSeconds) {
    if (token == null || token.isEmpty()) {
      return new Check(null, Refusal.MISSING);
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      return new Check(null, Refusal.MALFORMED);
    }
    long expiresAt;
    String prefix;
    byte[] signature;
    try {
      expiresAt = Long.parseLong(parts[0]);
      prefix = new String(DECODER.decode(parts[1]), StandardCharsets.UTF_8);
      signature = DECODER.decode(parts[2]);
    } catch (IllegalArgumentException e) {
      return new Check(null, Refusal.MALFORMED);
    }
    if (!prefix.startsWith("/")) {
      return new Check(null, Refusal.MALFORMED);
    }
    // One grant, one spelling: the decimal and base64url forms sign() writes, and nothing else that
    // decodes to the same values (a '+' or leading zeros, '=' padding, base64 whose unused low bits
    // are set, a prefix that is not UTF-8), so that no one can mint variants of a token.
    if (!parts[0].equals(Long.toString(expiresAt))
        || !parts[1].equals(ENCODER.encodeToString(prefix.getBytes(StandardCharsets.UTF_8)))
        || !parts[2].equals(ENCODER.encodeToString(signature))) {
      return new Check(null, Refusal.MALFORMED);
    }
    if (!MessageDigest.isEqual(mac(secret, prefix, expiresAt), signature)) {
      return new Check(null, Refusal.BAD_SIGNATURE);
    }
    AccessToken parsed = new AccessToken(prefix, expiresAt);
    if (nowSeconds >= expiresAt) {
      return new Check(parsed, Refusal.EXPIRED);
    }
    if (!path.startsWith(prefix)) {
      return new Check(parsed, Refusal.WRONG_PATH);
    }
    return new Check(parsed, null);
  }

  private static byte[] mac(byte[] secret, String prefix, long expiresAt) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac.doFinal((CONTEXT + prefix + "\n" + expiresAt).getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
