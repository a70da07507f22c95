package dev.swarmcdn.origin.integrity;

import dev.swarmcdn.kit.http.Representation;
import dev.swarmcdn.protocol.integrity.IntegrityManifest;
import dev.swarmcdn.protocol.integrity.IntegrityManifestCodec;
import dev.swarmcdn.protocol.integrity.ManifestContent;
import java.security.GeneralSecurityException;
import java.security.Signature;

/** Signs manifest content with the origin key and renders it for HTTP. Thread-safe. */
public final class ManifestSigner {

  private final IntegrityKeys keys;

  public ManifestSigner(IntegrityKeys keys) {
    this.keys = keys;
  }

  public IntegrityManifest sign(ManifestContent content) {
    try {
      // Signature objects are stateful; one per call keeps this class thread-safe for about 50 us.
      Signature signature = Signature.getInstance("Ed25519");
      signature.initSign(keys.privateKey());
      signature.update(content.signingInput());
      return IntegrityManifest.signed(content, keys.keyId(), signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("signing with a loaded Ed25519 key cannot fail", e);
    }
  }

  /** The signed manifest as a JSON representation with a strong ETag. */
  public Representation signedRepresentation(ManifestContent content, long lastModified,
      String cacheControl) {
    return GeneratedRepresentation.of(IntegrityManifestCodec.encode(sign(content)), "application/json",
        lastModified, cacheControl);
  }
}
