package dev.swarmcdn.tracker.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.swarmcdn.protocol.json.StrictJson;
import dev.swarmcdn.protocol.tracker.SwarmId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Join tokens as JWTs (RFC 7519) signed with HS256 under a secret the platform shares with the
 * tracker: claim {@code stream} names the stream the viewer may watch, {@code exp} ends the grant,
 * and {@code nbf}, when present, starts it. Only HS256 is accepted, whatever the header asks for,
 * so neither {@code none} nor a public-key algorithm can be smuggled in; the signature is compared
 * in constant time and checked before any claim is read.
 */
public final class Hs256JoinTokens implements JoinPolicy {

  private static final String ALGORITHM = "HS256";
  private static final String MAC = "HmacSHA256";
  // Duplicate claims are how one token says two things to two parsers: refuse them.
  private static final ObjectMapper JSON = StrictJson.mapper();
  private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();
  private static final Base64.Encoder BASE64URL_ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final String HEADER = BASE64URL_ENCODER.encodeToString(
      "{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.US_ASCII));

  private final SecretKeySpec key;
  private final LongSupplier nowSeconds;

  public Hs256JoinTokens(byte[] secret, LongSupplier nowSeconds) {
    this.key = new SecretKeySpec(secret, MAC);
    this.nowSeconds = nowSeconds;
  }

  @Override
  public Optional<JoinRefusal> check(String token, SwarmId swarm) {
    if (token == null) {
      return Optional.of(JoinRefusal.MISSING);
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      return Optional.of(JoinRefusal.MALFORMED);
    }
    JsonNode header = jsonPart(parts[0]);
    byte[] signature = bytesPart(parts[2]);
    if (header == null || signature == null) {
      return Optional.of(JoinRefusal.MALFORMED);
    }
    JsonNode algorithm = header.get("alg");
    if (algorithm == null || !ALGORITHM.equals(algorithm.textValue())) {
      return Optional.of(JoinRefusal.ALGORITHM);
    }
    if (header.has("crit")) {
      // RFC 7515 4.1.11: extensions we do not implement must not be ignored.
      return Optional.of(JoinRefusal.MALFORMED);
    }
    if (!MessageDigest.isEqual(sign(parts[0] + "." + parts[1]), signature)) {
      return Optional.of(JoinRefusal.BAD_SIGNATURE);
    }
    JsonNode claims = jsonPart(parts[1]);
    if (claims == null || !isNumber(claims.get("exp")) || !claims.path("stream").isTextual()
        || (claims.has("nbf") && !isNumber(claims.get("nbf")))) {
      return Optional.of(JoinRefusal.MALFORMED);
    }
    long now = nowSeconds.getAsLong();
    if (now >= claims.get("exp").asDouble()) {
      return Optional.of(JoinRefusal.EXPIRED);
    }
    if (claims.has("nbf") && now < claims.get("nbf").asDouble()) {
      return Optional.of(JoinRefusal.NOT_YET_VALID);
    }
    if (!claims.get("stream").textValue().equals(swarm.stream())) {
      return Optional.of(JoinRefusal.WRONG_STREAM);
    }
    return Optional.empty();
  }

  /**
   * A token granting every rendition of {@code stream} until {@code expiresAt} (epoch seconds), with
   * claims {@code {"stream": ..., "exp": ...}}: what the tracker's {@code /route} hands a viewer.
   */
  public String issue(String stream, long expiresAt) {
    byte[] claims;
    try {
      claims = JSON.writeValueAsBytes(JSON.createObjectNode().put("stream", stream).put("exp", expiresAt));
    } catch (IOException e) {
      throw new IllegalStateException("two claims always serialise", e);
    }
    String signingInput = HEADER + "." + BASE64URL_ENCODER.encodeToString(claims);
    return signingInput + "." + BASE64URL_ENCODER.encodeToString(sign(signingInput));
  }

  private static boolean isNumber(JsonNode node) {
    return node != null && node.isNumber();
  }

  /** A JSON object in base64url, or null. */
  private static JsonNode jsonPart(String part) {
    byte[] bytes = bytesPart(part);
    if (bytes == null) {
      return null;
    }
    try {
      JsonNode node = JSON.readTree(bytes);
      return node != null && node.isObject() ? node : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static byte[] bytesPart(String part) {
    try {
      return BASE64URL.decode(part);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private byte[] sign(String signingInput) {
    try {
      Mac mac = Mac.getInstance(MAC);
      mac.init(key);
      return mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
