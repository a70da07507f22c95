package dev.swarmcdn.launcher;

import dev.swarmcdn.kit.http.tls.DevCertificates;
import dev.swarmcdn.kit.http.tls.TlsFiles;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Base64;

/**
 * The certificates of {@code ./cdn demo --tls}, made with openssl at start: a CA of the demo's own
 * ({@code DIR/demo-ca.pem}, kept across runs while it has a month to live, so a browser told to
 * trust it once keeps trusting it), and a certificate it signs for localhost, 127.0.0.1 and ::1,
 * made anew at every start, which the origin, the tracker and the edges all serve. The edges trust
 * the CA for their own clients (origin, tracker, each other), as {@code --tls-ca} would make them.
 *
 * @param ca      the demo's CA: what a browser or {@code cdn peer --tls-ca} must trust
 * @param server  the certificate and key every server of the demo presents
 */
public record DemoTls(DevCertificates.Authority ca, DevCertificates.Issued server) {

  private static final int CA_DAYS = 3650;
  private static final int SERVER_DAYS = 30;

  /** Makes (or, for the CA, finds) the certificates in {@code dir}. Blocking: runs openssl. */
  public static DemoTls prepare(Path dir) {
    return prepare(dir, List.of());
  }

  /** As {@link #prepare(Path)}, the servers' certificate also for {@code moreHosts} ({@code --host}). */
  public static DemoTls prepare(Path dir, List<String> moreHosts) {
    DevCertificates.Authority ca = new DevCertificates.Authority(dir.resolve("demo-ca.pem"), dir.resolve("demo-ca-key.pem"));
    if (!usable(ca)) {
      ca = DevCertificates.authority(dir, "demo-ca", "swarmcdn demo CA (this machine only)", CA_DAYS);
    }
    BigInteger serial = new BigInteger(64, new SecureRandom()).setBit(63);
    DevCertificates.Issued server = DevCertificates.issue(ca, dir, "demo-server", serial, SERVER_DAYS, moreHosts);
    return new DemoTls(ca, server);
  }

  /** The CA a previous run made, if it is whole and has a month to live. */
  private static boolean usable(DevCertificates.Authority ca) {
    if (!Files.isRegularFile(ca.cert()) || !Files.isRegularFile(ca.key())) {
      return false;
    }
    try (var in = Files.newInputStream(ca.cert())) {
      X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
      return certificate.getNotAfter().toInstant().isAfter(Instant.now().plus(Duration.ofDays(SERVER_DAYS)));
    } catch (Exception e) {
      return false; // made again
    }
  }

  /** What every server of the demo serves with. */
  public TlsFiles files() {
    return server.files();
  }

  /**
   * The server certificate's SubjectPublicKeyInfo hash, base64 of SHA-256: what Chromium's
   * {@code --ignore-certificate-errors-spki-list} takes to accept this certificate alone.
   */
  public String spkiHash() {
    try {
      byte[] spki = server.certificate().getPublicKey().getEncoded();
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(spki));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
