package dev.swarmcdn.kit.http.tls;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server's TLS from {@code --tls-cert} and {@code --tls-key}: read and checked at start (both
 * readable, a certificate, a private key, and the key the certificate's: a mistake is refused with
 * the flag that names the file), set on the server's options, then watched. When either file
 * changes (modification time, size or file: a rename, a symbolic link swapped as Kubernetes does
 * with secrets), the pair is read again once it stayed unchanged for one more check, checked the
 * same way, and handed to the running server ({@code HttpServer.updateSSLOptions}): handshakes from
 * then on present the new certificate; open connections keep theirs. A new pair that fails a check
 * is refused with its reason in the log, and the server keeps the pair it has, until the files
 * change again.
 *
 * <p>The TLS port is TLS only: plain HTTP is not served beside it, and nothing redirects. HTTP/1.1
 * only (no ALPN), as in cleartext: {@code RequestFraming} swaps the HTTP/1.1 decoder.
 */
public final class ServerTls {

  /** How often the files are looked at: a stat of each, off the event loop. */
  public static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);

  private static final Logger LOG = LoggerFactory.getLogger(ServerTls.class);

  private final Vertx vertx;
  private final String server;
  private final TlsFiles files;
  private final long checkMillis;
  private final AtomicBoolean checking = new AtomicBoolean();
  private volatile Pair current;
  /** A change seen once, loaded when the next check sees it unchanged. */
  private Stamp pending;
  /** Files refused, not tried again until they change. */
  private Stamp refused;
  private boolean missingSaid;
  private volatile String lastRefusal;
  private HttpServerOptions options;
  private HttpServer httpServer;
  private long timer = -1;

  /** The files' state when read: what a change is told by. */
  record Stamp(FileTime certModified, long certSize, Object certFile, FileTime keyModified, long keySize, Object keyFile) {
    static Stamp of(TlsFiles files) throws IOException {
      BasicFileAttributes cert = Files.readAttributes(files.cert(), BasicFileAttributes.class);
      BasicFileAttributes key = Files.readAttributes(files.key(), BasicFileAttributes.class);
      return new Stamp(cert.lastModifiedTime(), cert.size(), cert.fileKey(), key.lastModifiedTime(), key.size(),
          key.fileKey());
    }
  }

  /** A checked pair: the bytes handed to Vert.x, and the certificate they hold. */
  record Pair(Buffer cert, Buffer key, X509Certificate certificate, Stamp stamp) {
    PemKeyCertOptions options() {
      return new PemKeyCertOptions().setCertValue(cert).setKeyValue(key);
    }
  }

  private ServerTls(Vertx vertx, String server, TlsFiles files, Duration checkEvery, Pair first) {
    this.vertx = vertx;
    this.server = server;
    this.files = files;
    this.checkMillis = Math.max(1, checkEvery.toMillis());
    this.current = first;
  }

  /**
   * Reads and checks the pair; blocking (call it off the event loop). Refuses a mistake with an
   * {@link IllegalArgumentException} naming the flag and the file.
   *
   * @param server      who serves it, for the log ({@code origin}, {@code edge edge-1})
   * @param checkEvery  how often the files are looked at for a change
   */
  public static ServerTls load(Vertx vertx, String server, TlsFiles files, Duration checkEvery) {
    if (!files.enabled()) {
      throw new IllegalArgumentException("no --tls-cert and --tls-key to load");
    }
    Pair pair = read(vertx, files);
    ServerTls tls = new ServerTls(vertx, server, files, checkEvery, pair);
    LOG.info("{}: TLS with {}", server, describe(pair.certificate()));
    warnIfExpired(server, pair.certificate());
    return tls;
  }

  /** {@link #load} off the event loop, as a future. */
  public static Future<ServerTls> loadAsync(Vertx vertx, String server, TlsFiles files, Duration checkEvery) {
    return vertx.executeBlocking(() -> load(vertx, server, files, checkEvery), false);
  }

  /** Makes {@code options} a TLS server's, with the pair read; returns them. */
  public HttpServerOptions secure(HttpServerOptions options) {
    options.setSsl(true).setUseAlpn(false).setKeyCertOptions(current.options());
    this.options = options;
    return options;
  }

  /** Starts watching the files for {@code server}, which listens with the options {@link #secure} set. */
  public void watch(HttpServer server) {
    this.httpServer = server;
    timer = vertx.setPeriodic(checkMillis, id -> {
      if (checking.compareAndSet(false, true)) {
        vertx.executeBlocking(this::look, false)
            .compose(next -> next == null ? Future.succeededFuture() : install(next))
            .onComplete(done -> checking.set(false));
      }
    });
  }

  /** Stops watching. */
  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  /** The certificate handshakes present now. */
  public X509Certificate certificate() {
    return current.certificate();
  }

  /** Why the last changed files were refused (kept the pair in use), or null. */
  public String lastRefusal() {
    return lastRefusal;
  }

  /** One look at the files, on a worker thread: a checked new pair to install, or null. */
  private Pair look() {
    Stamp stamp;
    try {
      stamp = Stamp.of(files);
    } catch (IOException e) {
      // Missing for a moment while they are replaced, or gone: said once, looked at again next time.
      if (!missingSaid) {
        missingSaid = true;
        LOG.warn("{}: TLS files cannot be read ({}): keeping {}", server, e, describe(current.certificate()));
      }
      pending = null;
      return null;
    }
    missingSaid = false;
    if (stamp.equals(current.stamp()) || stamp.equals(refused)) {
      pending = null;
      return null;
    }
    if (!stamp.equals(pending)) {
      pending = stamp; // being written, perhaps: read once it held still for one check
      return null;
    }
    pending = null;
    try {
      return read(vertx, files);
    } catch (IllegalArgumentException e) {
      refuse(stamp, e.getMessage());
      return null;
    }
  }

  /** Hands a checked pair to the server: handshakes from now on present it. */
  private Future<Void> install(Pair next) {
    ServerSSLOptions ssl = options.getSslOptions().copy().setKeyCertOptions(next.options());
    return httpServer.updateSSLOptions(ssl, true).transform(outcome -> {
      if (outcome.failed()) {
        refuse(next.stamp(), "the TLS stack refused them (" + outcome.cause().getMessage() + ")");
      } else {
        refused = null;
        current = next;
        LOG.info("{}: TLS files changed, now serving {}", server, describe(next.certificate()));
        warnIfExpired(server, next.certificate());
      }
      return Future.<Void>succeededFuture();
    });
  }

  private void refuse(Stamp stamp, String why) {
    refused = stamp;
    lastRefusal = why;
    LOG.warn("{}: new TLS files refused, {}: keeping {}", server, why, describe(current.certificate()));
  }

  /** Reads and checks both files; a mistake refused naming its flag. */
  static Pair read(Vertx vertx, TlsFiles files) {
    Stamp stamp;
    try {
      stamp = Stamp.of(files);
    } catch (IOException e) {
      stamp = null; // read below says which file and why
    }
    byte[] certBytes = TlsTrust.readFile("--tls-cert", files.cert());
    byte[] keyBytes = TlsTrust.readFile("--tls-key", files.key());
    List<X509Certificate> chain = TlsTrust.readCertificates("--tls-cert", files.cert());
    Buffer cert = Buffer.buffer(certBytes);
    Buffer key = Buffer.buffer(keyBytes);
    PrivateKey privateKey;
    try {
      privateKey = privateKey(new PemKeyCertOptions().setCertValue(cert).setKeyValue(key).loadKeyStore(vertx));
    } catch (Exception e) {
      throw new IllegalArgumentException("--tls-key " + files.key() + ": not a PEM private key (PKCS#8 "
          + "'BEGIN PRIVATE KEY', PKCS#1 'BEGIN RSA PRIVATE KEY' or 'BEGIN EC PRIVATE KEY'; " + e.getMessage() + ")", e);
    }
    X509Certificate leaf = chain.get(0);
    if (!matches(privateKey, leaf.getPublicKey())) {
      throw new IllegalArgumentException("--tls-key " + files.key() + " is not the key of the certificate in --tls-cert "
          + files.cert() + " (" + describe(leaf) + "): give the key the certificate was issued for");
    }
    return new Pair(cert, key, leaf, stamp);
  }

  private static PrivateKey privateKey(KeyStore store) throws GeneralSecurityException {
    for (Enumeration<String> aliases = store.aliases(); aliases.hasMoreElements(); ) {
      String alias = aliases.nextElement();
      if (store.isKeyEntry(alias)) {
        return (PrivateKey) store.getKey(alias, io.vertx.core.net.impl.KeyStoreHelper.DUMMY_PASSWORD.toCharArray());
      }
    }
    throw new GeneralSecurityException("no private key in it");
  }

  /** Whether the key signs what the certificate's public key verifies. */
  static boolean matches(PrivateKey key, PublicKey certified) {
    String algorithm = switch (key.getAlgorithm().toUpperCase(Locale.ROOT)) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      case "ED25519", "EDDSA" -> "Ed25519";
      case "ED448" -> "Ed448";
      default -> null;
    };
    if (algorithm == null) {
      return true; // a kind of key this cannot sign with: the TLS stack is the judge
    }
    try {
      byte[] challenge = new byte[32];
      new SecureRandom().nextBytes(challenge);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certified);
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  static String describe(X509Certificate certificate) {
    return "certificate serial " + certificate.getSerialNumber().toString(16) + " for "
        + certificate.getSubjectX500Principal().getName() + ", valid until " + certificate.getNotAfter().toInstant();
  }

  private static void warnIfExpired(String server, Certificate certificate) {
    if (certificate instanceof X509Certificate x509 && x509.getNotAfter().getTime() < System.currentTimeMillis()) {
      LOG.warn("{}: the TLS certificate expired on {}: clients will refuse it", server, x509.getNotAfter().toInstant());
    }
  }
}
