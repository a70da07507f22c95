package dev.swarmcdn.protocol.integrity;

import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A signed integrity manifest (format version 1): the content and the origin's Ed25519 signature over
 * {@link ManifestContent#signingInput()}. Immutable. A manifest is only worth anything once
 * {@link ManifestVerifier#verify(IntegrityManifest, String)} accepted it.
 *
 * @param keyId     which origin key signed it (see {@link PublicKeyDocument#keyIdOf(byte[])})
 * @param signature the 64-byte Ed25519 signature, standard base64 with padding
 */
public record IntegrityManifest(ManifestContent content, String keyId, String signature) {

  public static final int FORMAT_VERSION = 1;

  private static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{16}");

  public IntegrityManifest {
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(signature, "signature");
    if (!KEY_ID.matcher(keyId).matches()) {
      throw new IllegalArgumentException("keyId must be 16 lowercase hex digits: " + keyId);
    }
    try {
      Base64.getDecoder().decode(signature);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("signature is not base64", e);
    }
  }

  public static IntegrityManifest signed(ManifestContent content, String keyId, byte[] signature) {
    return new IntegrityManifest(content, keyId, Base64.getEncoder().encodeToString(signature));
  }

  public byte[] signatureBytes() {
    return Base64.getDecoder().decode(signature);
  }
}
