package dev.swarmcdn.protocol.integrity;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;

/**
 * Checks integrity manifests against one origin public key. Thread-safe: each verification uses its
 * own {@link Signature}.
 */
public final class ManifestVerifier {

  private final String keyId;
  private final PublicKey publicKey;

  private ManifestVerifier(String keyId, PublicKey publicKey) {
    this.keyId = keyId;
    this.publicKey = publicKey;
  }

  public static ManifestVerifier forRawKey(byte[] rawPublicKey) {
    return forKeyDocument(PublicKeyDocument.of(rawPublicKey));
  }

  public static ManifestVerifier forKeyDocument(PublicKeyDocument document) {
    return new ManifestVerifier(document.keyId(), Ed25519Keys.publicKey(document.publicKey()));
  }

  public String keyId() {
    return keyId;
  }

  /**
   * @param playlistPath the URL path of the playlist being played; a manifest signed for another
   *                     playlist is refused
   * @return the manifest, now trusted, ready to check segments against
   * @throws ManifestRejectedException if it is for another playlist, another key signed it, or the
   *         signature does not cover exactly this content
   */
  public VerifiedManifest verify(IntegrityManifest manifest, String playlistPath)
      throws ManifestRejectedException {
    if (!manifest.content().path().equals(playlistPath)) {
      throw new ManifestRejectedException(
          "manifest is for " + manifest.content().path() + ", not " + playlistPath);
    }
    if (!keyId.equals(manifest.keyId())) {
      throw new ManifestRejectedException(
          "manifest signed by key " + manifest.keyId() + ", expected " + keyId);
    }
    boolean valid;
    try {
      Signature signature = Signature.getInstance("Ed25519");
      signature.initVerify(publicKey);
      signature.update(manifest.content().signingInput());
      valid = signature.verify(manifest.signatureBytes());
    } catch (GeneralSecurityException e) {
      // A signature of the wrong length or encoding: as bad as a wrong one.
      valid = false;
    }
    if (!valid) {
      throw new ManifestRejectedException("signature does not verify for " + manifest.content().path());
    }
    return new VerifiedManifest(manifest.content());
  }
}
