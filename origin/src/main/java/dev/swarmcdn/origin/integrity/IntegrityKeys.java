package dev.swarmcdn.origin.integrity;

import dev.swarmcdn.kit.http.Representation;
import java.nio.file.Path;

/**
 * The origin's Ed25519 key pair for signing integrity manifests, loaded from a PKCS#8 file or created
 * there on first start.
 *
 * <p>TODO(origin issue): implementation.
 */
public final class IntegrityKeys {

  public static IntegrityKeys loadOrCreate(Path privateKeyFile) {
    return new IntegrityKeys();
  }

  /** {@code /keys/integrity.json}: key id, algorithm and public key for verifiers. */
  public Representation publicKeyDocument() {
    throw new UnsupportedOperationException("TODO");
  }
}
