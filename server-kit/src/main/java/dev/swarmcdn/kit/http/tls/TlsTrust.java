package dev.swarmcdn.kit.http.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import io.vertx.core.net.TCPSSLOptions;
import io.vertx.core.net.TrustOptions;

/**
 * Which servers our clients believe over TLS (the edge towards origins, other edges and the tracker;
 * the Java peer towards edges and the tracker): the JVM's trusted authorities, plus the CA
 * certificates of one PEM file given with {@code --tls-ca}, for servers whose certificate a private
 * CA signed (the demo's, a company's). Host names are verified as always. Read once, at start.
 */
public final class TlsTrust {

  /** The JVM's trusted authorities alone. */
  public static final TlsTrust JVM = new TlsTrust(null, null);

  private final Path ca;
  private final TrustManagerFactory factory;

  private TlsTrust(Path ca, TrustManagerFactory factory) {
    this.ca = ca;
    this.factory = factory;
  }

  /**
   * The JVM's authorities and those in {@code caPem} (null: the JVM's alone). Blocking: reads the
   * file. A file that is missing, unreadable or holds no certificate is refused, naming the flag.
   */
  public static TlsTrust withCa(Path caPem) {
    if (caPem == null) {
      return JVM;
    }
    List<X509Certificate> extra = readCertificates("--tls-ca", caPem);
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int n = 0;
      for (X509Certificate anchor : jvmAnchors()) {
        store.setCertificateEntry("jvm-" + n++, anchor);
      }
      for (X509Certificate anchor : extra) {
        store.setCertificateEntry("tls-ca-" + n++, anchor);
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return new TlsTrust(caPem, factory);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("--tls-ca " + caPem + ": cannot be trusted: " + e.getMessage(), e);
    }
  }

  /** The extra CA file, or null. */
  public Path ca() {
    return ca;
  }

  /** Sets these authorities on a Vert.x client's options (HTTP or WebSocket); the JVM's need nothing set. */
  public <T extends TCPSSLOptions> T applyTo(T options) {
    if (factory != null) {
      options.setTrustOptions(TrustOptions.wrap(factory));
    }
    return options;
  }

  /** For clients of the JDK ({@code java.net.http}). */
  public SSLContext sslContext() {
    try {
      if (factory == null) {
        return SSLContext.getDefault();
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no TLS in this JVM", e);
    }
  }

  /** The certificates of a PEM file; refused with {@code flag} and the reason. */
  static List<X509Certificate> readCertificates(String flag, Path file) {
    byte[] bytes = readFile(flag, file);
    Collection<? extends Certificate> read;
    try {
      read = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(flag + " " + file + ": not a PEM certificate (" + e.getMessage() + ")", e);
    }
    List<X509Certificate> certificates = new ArrayList<>();
    for (Certificate certificate : read) {
      if (certificate instanceof X509Certificate x509) {
        certificates.add(x509);
      }
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException(flag + " " + file + ": holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }
    return certificates;
  }

  /** A file's bytes; a missing or unreadable one refused with {@code flag}. */
  static byte[] readFile(String flag, Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(flag + " " + file + ": no such file", e);
    } catch (AccessDeniedException e) {
      throw new IllegalArgumentException(flag + " " + file + ": cannot be read (permission denied)", e);
    } catch (IOException e) {
      throw new IllegalArgumentException(flag + " " + file + ": cannot be read (" + e + ")", e);
    }
  }

  private static List<X509Certificate> jvmAnchors() throws GeneralSecurityException {
    TrustManagerFactory jvm = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    jvm.init((KeyStore) null);
    List<X509Certificate> anchors = new ArrayList<>();
    for (TrustManager manager : jvm.getTrustManagers()) {
      if (manager instanceof X509TrustManager x509) {
        anchors.addAll(List.of(x509.getAcceptedIssuers()));
      }
    }
    return anchors;
  }

  @Override
  public String toString() {
    return ca == null ? "the JVM's trusted CAs" : "the JVM's trusted CAs and " + ca;
  }
}
