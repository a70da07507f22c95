package dev.swarmcdn.origin.integrity;

import dev.swarmcdn.kit.http.Representation;
import dev.swarmcdn.protocol.integrity.Ed25519Keys;
import dev.swarmcdn.protocol.integrity.PublicKeyDocument;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Set;

/**
 * The origin's Ed25519 key pair for signing integrity manifests, loaded from a PKCS#8 file (DER, or
 * PEM as {@code openssl genpkey -algorithm ed25519} writes it) or created there on first start.
 * Immutable.
 */
public final class IntegrityKeys {

  static final String KEY_DOCUMENT_CACHE_CONTROL = "public, max-age=300";

  private final PrivateKey privateKey;
  private final PublicKeyDocument publicKey;
  private final Representation publicKeyDocument;

  private IntegrityKeys(PrivateKey privateKey, byte[] rawPublicKey, long createdMillis) {
    this.privateKey = privateKey;
    this.publicKey = PublicKeyDocument.of(rawPublicKey);
    this.publicKeyDocument = GeneratedRepresentation.of(publicKey.toJson(), "application/json",
        createdMillis, KEY_DOCUMENT_CACHE_CONTROL);
  }

  /** Blocking: reads or writes the key file. */
  public static IntegrityKeys loadOrCreate(Path privateKeyFile) throws IOException {
    if (!Files.exists(privateKeyFile)) {
      create(privateKeyFile);
    }
    byte[] stored = Files.readAllBytes(privateKeyFile);
    try {
      PrivateKey key = KeyFactory.getInstance("Ed25519")
          .generatePrivate(new PKCS8EncodedKeySpec(der(stored)));
      return new IntegrityKeys(key, rawPublicKeyOf(key),
          Files.getLastModifiedTime(privateKeyFile).toMillis());
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IOException("not a PKCS#8 Ed25519 private key: " + privateKeyFile, e);
    }
  }

  private static void create(Path privateKeyFile) throws IOException {
    Path dir = privateKeyFile.toAbsolutePath().getParent();
    boolean posix = Files.getFileStore(existingAncestor(dir)).supportsFileAttributeView("posix");
    if (posix) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
          Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE)));
    } else {
      Files.createDirectories(dir);
    }
    KeyPair pair;
    try {
      pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JDK 17 always has Ed25519", e);
    }
    // Written under a temporary name with owner-only permissions from the first byte, then renamed:
    // a crash never leaves a half key behind, and no other user ever can read it.
    FileAttribute<?>[] ownerOnly = posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
            Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE))}
        : new FileAttribute<?>[0];
    Path temp = Files.createTempFile(dir, ".integrity-key", ".tmp", ownerOnly);
    try {
      Files.write(temp, pair.getPrivate().getEncoded());
      Files.move(temp, privateKeyFile, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static Path existingAncestor(Path dir) {
    Path existing = dir;
    while (!Files.exists(existing)) {
      existing = existing.getParent();
    }
    return existing;
  }

  private static byte[] der(byte[] stored) {
    String text = new String(stored, StandardCharsets.US_ASCII);
    if (!text.startsWith("-----BEGIN PRIVATE KEY-----")) {
      return stored;
    }
    String body = text.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
    return Base64.getDecoder().decode(body);
  }

  /**
   * JDK 17 cannot derive an Ed25519 public key from a private key directly; but its key pair generator
   * takes the 32-byte seed from the random source, so feeding it the stored seed regenerates the pair.
   */
  private static byte[] rawPublicKeyOf(PrivateKey key) throws GeneralSecurityException {
    byte[] seed = ((EdECPrivateKey) key).getBytes()
        .orElseThrow(() -> new GeneralSecurityException("private key without its seed"));
    KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
    generator.initialize(NamedParameterSpec.ED25519, new SecureRandom() {
      @Override
      public void nextBytes(byte[] bytes) {
        System.arraycopy(seed, 0, bytes, 0, bytes.length);
      }
    });
    return Ed25519Keys.raw(generator.generateKeyPair().getPublic());
  }

  public String keyId() {
    return publicKey.keyId();
  }

  public PublicKeyDocument publicKey() {
    return publicKey;
  }

  PrivateKey privateKey() {
    return privateKey;
  }

  /** {@code /keys/integrity.json}: key id, algorithm and public key for verifiers. */
  public Representation publicKeyDocument() {
    return publicKeyDocument;
  }
}
