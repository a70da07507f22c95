package dev.swarmcdn.kit.http.tls;

import java.nio.file.Path;

/**
 * A server's certificate and private key, as given by {@code --tls-cert} and {@code --tls-key}
 * (PEM files). Both or neither: one alone is refused by name when the configuration is built.
 * With them, the server speaks HTTPS (and WSS) only on its port: plain HTTP is off, and nothing
 * redirects.
 *
 * @param cert  the certificate, then any intermediates, PEM; null: no TLS
 * @param key   its private key, PEM (PKCS#8, or PKCS#1 RSA, or SEC1 EC); null: no TLS
 */
public record TlsFiles(Path cert, Path key) {

  /** No TLS: plain HTTP. */
  public static final TlsFiles NONE = new TlsFiles(null, null);

  public TlsFiles {
    if (cert == null && key != null) {
      throw new IllegalArgumentException("--tls-key " + key + " needs --tls-cert: give the certificate with its key");
    }
    if (cert != null && key == null) {
      throw new IllegalArgumentException("--tls-cert " + cert + " needs --tls-key: give the private key with its certificate");
    }
  }

  /** From the two flags, either of which may be absent (then both must be). */
  public static TlsFiles of(Path cert, Path key) {
    return cert == null && key == null ? NONE : new TlsFiles(cert, key);
  }

  public boolean enabled() {
    return cert != null;
  }

  /** {@code https} with TLS, else {@code http}. */
  public String httpScheme() {
    return enabled() ? "https" : "http";
  }
}
