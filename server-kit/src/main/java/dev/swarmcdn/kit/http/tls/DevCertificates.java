package dev.swarmcdn.kit.http.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates for one machine, made with the {@code openssl} command (Debian's {@code openssl}
 * package; scripts/install-deps installs it): a CA of its own, and server certificates it signs for
 * {@code localhost}, {@code 127.0.0.1} and {@code ::1}. What {@code ./cdn demo --tls} serves with,
 * and what the tests of TLS make. Keys are P-256, written as PKCS#8 PEM, readable by the owner only.
 * Nothing here is for production: a real deployment brings certificates from its own CA.
 */
public final class DevCertificates {

  /** Names every certificate made here is valid for. */
  public static final List<String> LOCAL_NAMES = List.of("DNS:localhost", "IP:127.0.0.1", "IP:::1");
  private static final long OPENSSL_BOUND_SECONDS = 30;

  /** A CA: its certificate (what clients trust, {@code --tls-ca}) and its key. */
  public record Authority(Path cert, Path key) {}

  /** A server certificate and its key ({@code --tls-cert}, {@code --tls-key}). */
  public record Issued(Path cert, Path key) {
    public TlsFiles files() {
      return new TlsFiles(cert, key);
    }

    public X509Certificate certificate() {
      return TlsTrust.readCertificates("--tls-cert", cert).get(0);
    }
  }

  private DevCertificates() {}

  /** Whether the {@code openssl} command runs here. */
  public static boolean available() {
    try {
      Process process = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor(OPENSSL_BOUND_SECONDS, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** A new CA, {@code NAME.pem} and {@code NAME-key.pem} in {@code dir}, valid for {@code days}. */
  public static Authority authority(Path dir, String name, String commonName, int days) {
    Path cert = dir.resolve(name + ".pem");
    Path key = dir.resolve(name + "-key.pem");
    createDirectories(dir);
    openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", key.toString(), "-out", cert.toString(), "-days", Integer.toString(days), "-sha256",
        "-subj", "/CN=" + commonName,
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    ownerOnly(key);
    return new Authority(cert, key);
  }

  /**
   * A server certificate signed by {@code ca} for {@link #LOCAL_NAMES}, with {@code serial}:
   * {@code NAME.pem} and {@code NAME-key.pem} in {@code dir} (replaced if present, each by a rename).
   */
  public static Issued issue(Authority ca, Path dir, String name, BigInteger serial, int days) {
    return issue(ca, dir, name, serial, days, List.of());
  }

  /**
   * As {@link #issue(Authority, Path, String, BigInteger, int)}, also for {@code moreHosts} (names
   * or IP addresses other machines reach this one by).
   */
  public static Issued issue(Authority ca, Path dir, String name, BigInteger serial, int days, List<String> moreHosts) {
    List<String> names = new ArrayList<>(LOCAL_NAMES);
    for (String host : moreHosts) {
      names.add((host.matches("[0-9.]+") || host.contains(":") ? "IP:" : "DNS:") + host);
    }
    createDirectories(dir);
    Path cert = dir.resolve(name + ".pem");
    Path key = dir.resolve(name + "-key.pem");
    Path work;
    try {
      work = Files.createTempDirectory(dir, "." + name + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      Path newKey = work.resolve("key.pem");
      Path request = work.resolve("request.csr");
      Path extensions = work.resolve("extensions.cnf");
      Path newCert = work.resolve("cert.pem");
      Files.writeString(extensions, String.join("\n",
          "basicConstraints=critical,CA:FALSE",
          "keyUsage=critical,digitalSignature",
          "extendedKeyUsage=serverAuth",
          "subjectAltName=" + String.join(",", names), ""), StandardCharsets.US_ASCII);
      openssl(work, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
          "-keyout", newKey.toString(), "-out", request.toString(), "-subj", "/CN=localhost");
      openssl(work, "x509", "-req", "-in", request.toString(), "-CA", ca.cert().toString(), "-CAkey", ca.key().toString(),
          "-set_serial", "0x" + serial.toString(16), "-days", Integer.toString(days), "-sha256",
          "-extfile", extensions.toString(), "-out", newCert.toString());
      ownerOnly(newKey);
      // The key first: a server watching the pair may look between the two renames (and waits).
      Files.move(newKey, key, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      Files.move(newCert, cert, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return new Issued(cert, key);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteTree(work);
    }
  }

  private static void openssl(Path dir, String... args) {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(OPENSSL_BOUND_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("openssl " + args[0] + " ran longer than " + OPENSSL_BOUND_SECONDS + " s");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: " + output.strip());
      }
    } catch (IOException e) {
      throw new IllegalStateException("certificates are made with the openssl command, which did not run ("
          + e.getMessage() + "); scripts/install-deps installs it", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while openssl ran", e);
    }
  }

  private static void createDirectories(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void ownerOnly(Path key) {
    try {
      Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException | IOException e) {
      // not a POSIX file system: left as openssl wrote it
    }
  }

  private static void deleteTree(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // a temporary folder left behind
    }
  }
}
