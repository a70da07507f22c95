package dev.swarmcdn.protocol.integrity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The origin's public key as published at {@code /keys/integrity.json}:
 * {@code {"keyId": "...", "algorithm": "Ed25519", "publicKey": "<base64 of the raw 32 bytes>"}}.
 * Immutable.
 */
public record PublicKeyDocument(String keyId, String algorithm, byte[] publicKey) {

  /** Where the origin publishes it, and edges serve it: a path the same on every server. */
  public static final String PATH = "/keys/integrity.json";
  public static final String ED25519 = "Ed25519";
  public static final int RAW_KEY_LENGTH = 32;

  private static final ObjectMapper JSON = new ObjectMapper();

  public PublicKeyDocument {
    Objects.requireNonNull(keyId, "keyId");
    if (!ED25519.equals(algorithm)) {
      throw new IllegalArgumentException("unsupported key algorithm: " + algorithm);
    }
    if (publicKey.length != RAW_KEY_LENGTH) {
      throw new IllegalArgumentException("an Ed25519 public key has 32 bytes, got " + publicKey.length);
    }
    publicKey = publicKey.clone();
    if (!keyId.equals(keyIdOf(publicKey))) {
      throw new IllegalArgumentException("keyId " + keyId + " does not belong to this public key");
    }
  }

  public static PublicKeyDocument of(byte[] rawPublicKey) {
    return new PublicKeyDocument(keyIdOf(rawPublicKey), ED25519, rawPublicKey);
  }

  /** The key id: the first 16 hex digits of the SHA-256 of the raw 32-byte public key. */
  public static String keyIdOf(byte[] rawPublicKey) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(rawPublicKey);
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  public byte[] toJson() {
    try {
      return JSON.writeValueAsBytes(JSON.createObjectNode()
          .put("keyId", keyId)
          .put("algorithm", algorithm)
          .put("publicKey", Base64.getEncoder().encodeToString(publicKey)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings always serializes", e);
    }
  }

  /**
   * @throws IllegalArgumentException if the document is malformed, not Ed25519, or its key id does not
   *         match its key
   */
  public static PublicKeyDocument fromJson(byte[] json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("key document is not JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("key document must be a JSON object");
    }
    byte[] key = Base64.getDecoder().decode(IntegrityManifestCodec.text(root, "publicKey"));
    return new PublicKeyDocument(IntegrityManifestCodec.text(root, "keyId"),
        IntegrityManifestCodec.text(root, "algorithm"), key);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PublicKeyDocument that && keyId.equals(that.keyId)
        && algorithm.equals(that.algorithm) && Arrays.equals(publicKey, that.publicKey);
  }

  @Override
  public int hashCode() {
    return keyId.hashCode();
  }

  @Override
  public String toString() {
    return "PublicKeyDocument[keyId=" + keyId + ", algorithm=" + algorithm + "]";
  }
}
