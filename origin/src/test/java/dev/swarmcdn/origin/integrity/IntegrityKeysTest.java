package dev.swarmcdn.origin.integrity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.swarmcdn.kit.http.Representation;
import dev.swarmcdn.protocol.integrity.IntegrityManifestCodec;
import dev.swarmcdn.protocol.integrity.ManifestContent;
import dev.swarmcdn.protocol.integrity.ManifestEntry;
import dev.swarmcdn.protocol.integrity.ManifestVerifier;
import dev.swarmcdn.protocol.integrity.PublicKeyDocument;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IntegrityKeysTest {

  @TempDir
  Path tmp;

  @Test
  void createsAnOwnerOnlyKeyAndLoadsTheSameKeyAgain() throws Exception {
    Path file = tmp.resolve("data/keys/integrity-ed25519.pk8");
    IntegrityKeys created = IntegrityKeys.loadOrCreate(file);

    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
    try (var leftovers = Files.list(file.getParent())) {
      assertEquals(List.of(file), leftovers.toList(), "no temporary file left behind");
    }
    IntegrityKeys loaded = IntegrityKeys.loadOrCreate(file);
    assertEquals(created.keyId(), loaded.keyId());
    assertEquals(created.publicKey(), loaded.publicKey());

    // What one instance signs, the other's public key verifies: the public key was derived right.
    ManifestContent content = new ManifestContent("/vod/a/index.m3u8", 0, List.of(),
        List.of(new ManifestEntry("a.m4s", 1, "0".repeat(64))));
    ManifestVerifier.forKeyDocument(loaded.publicKey())
        .verify(new ManifestSigner(created).sign(content), "/vod/a/index.m3u8");
  }

  @Test
  void publishesTheKeyDocument() throws Exception {
    IntegrityKeys keys = IntegrityKeys.loadOrCreate(tmp.resolve("key.pk8"));
    Representation document = keys.publicKeyDocument();
    assertEquals("application/json", document.contentType());
    assertEquals("public, max-age=300", document.cacheControl());
    PublicKeyDocument parsed = PublicKeyDocument.fromJson(document.bytes().getBytes());
    assertEquals(keys.keyId(), parsed.keyId());
    assertEquals(PublicKeyDocument.keyIdOf(parsed.publicKey()), parsed.keyId());
  }

  @Test
  void acceptsPemAsOpensslWritesIt() throws Exception {
    Path der = tmp.resolve("key.der");
    IntegrityKeys keys = IntegrityKeys.loadOrCreate(der);
    Path pem = tmp.resolve("key.pem");
    Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(Files.readAllBytes(der))
        + "\n-----END PRIVATE KEY-----\n");
    assertArrayEquals(keys.publicKey().publicKey(), IntegrityKeys.loadOrCreate(pem).publicKey().publicKey());
  }

  @Test
  void refusesAFileThatIsNotAKey() throws Exception {
    Path garbage = tmp.resolve("garbage.pk8");
    Files.writeString(garbage, "not a key", StandardCharsets.US_ASCII);
    assertThrows(IOException.class, () -> IntegrityKeys.loadOrCreate(garbage));
  }

  @Test
  void signedRepresentationIsTheSignedJson() throws Exception {
    IntegrityKeys keys = IntegrityKeys.loadOrCreate(tmp.resolve("key.pk8"));
    ManifestContent content = new ManifestContent("/p.m3u8", 7, List.of(), List.of());
    Representation representation = new ManifestSigner(keys).signedRepresentation(content, 1234, "x");
    assertEquals(content, IntegrityManifestCodec.decode(representation.bytes().getBytes()).content());
    assertEquals(1234, representation.lastModified());
  }
}
