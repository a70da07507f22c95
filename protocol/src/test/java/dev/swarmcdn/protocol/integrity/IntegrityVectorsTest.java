package dev.swarmcdn.protocol.integrity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.NamedParameterSpec;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shared vectors in src/test/resources/vectors/integrity, which the browser peer also checks. */
class IntegrityVectorsTest {

  private static final String DIR = "/vectors/integrity/";
  private static final String PLAYLIST = "/live/demo/360p/index.m3u8";

  private static byte[] vector(String name) {
    try (InputStream in = IntegrityVectorsTest.class.getResourceAsStream(DIR + name)) {
      if (in == null) {
        throw new IllegalStateException("missing vector " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ManifestVerifier verifier() {
    return ManifestVerifier.forKeyDocument(PublicKeyDocument.fromJson(vector("key.json")));
  }

  @Test
  void keyIdIsDerivedFromTheRawKey() {
    PublicKeyDocument key = PublicKeyDocument.fromJson(vector("key.json"));
    assertEquals(PublicKeyDocument.keyIdOf(key.publicKey()), key.keyId());
    assertEquals("80f216dd8ac70429", key.keyId());
  }

  @Test
  void signingInputIsRebuiltByteForByte() {
    IntegrityManifest manifest = IntegrityManifestCodec.decode(vector("manifest.json"));
    assertArrayEquals(vector("signing-input.txt"), manifest.content().signingInput());
  }

  @Test
  void signedManifestVerifiesAndVouchesForItsFiles() throws Exception {
    VerifiedManifest verified = verifier().verify(IntegrityManifestCodec.decode(vector("manifest.json")), PLAYLIST);
    for (String uri : List.of("init_e1_360p.mp4", "seg_e1_00041.m4s", "seg_e1_00042.m4s")) {
      assertEquals(SegmentVerdict.MATCHES, verified.verifySegment(uri, vector("files/" + uri)), uri);
    }
    assertEquals(SegmentVerdict.MISMATCH,
        verified.verifySegment("seg_e1_00042.m4s", vector("seg_e1_00042.tampered.m4s")));
    assertEquals(SegmentVerdict.MISMATCH,
        verified.verifySegment("seg_e1_00041.m4s", vector("files/seg_e1_00042.m4s")));
    assertEquals(SegmentVerdict.UNKNOWN,
        verified.verifySegment("seg_e1_00043.m4s", vector("files/seg_e1_00042.m4s")));
  }

  @Test
  void tamperedManifestIsRejected() {
    IntegrityManifest tampered = IntegrityManifestCodec.decode(vector("manifest-tampered.json"));
    assertThrows(ManifestRejectedException.class, () -> verifier().verify(tampered, PLAYLIST));
  }

  @Test
  void manifestForAnotherPlaylistIsRejected() {
    IntegrityManifest manifest = IntegrityManifestCodec.decode(vector("manifest.json"));
    assertThrows(ManifestRejectedException.class,
        () -> verifier().verify(manifest, "/live/demo/180p/index.m3u8"));
  }

  @Test
  void manifestFromAnotherKeyIsRejected() throws Exception {
    IntegrityManifest manifest = IntegrityManifestCodec.decode(vector("manifest.json"));
    byte[] otherKey = Ed25519Keys.raw(KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic());
    assertThrows(ManifestRejectedException.class, () -> ManifestVerifier.forRawKey(otherKey).verify(manifest, PLAYLIST));
    IntegrityManifest relabelled = new IntegrityManifest(manifest.content(),
        PublicKeyDocument.keyIdOf(otherKey), manifest.signature());
    assertThrows(ManifestRejectedException.class, () -> ManifestVerifier.forRawKey(otherKey).verify(relabelled, PLAYLIST));
  }

  @Test
  void theTestSeedReproducesTheSignature() throws Exception {
    byte[] seed = HexFormat.of().parseHex(new String(vector("test-private-seed.hex")).trim());
    KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
    generator.initialize(NamedParameterSpec.ED25519, new SecureRandom() {
      @Override
      public void nextBytes(byte[] bytes) {
        System.arraycopy(seed, 0, bytes, 0, bytes.length);
      }
    });
    KeyPair pair = generator.generateKeyPair();
    assertArrayEquals(PublicKeyDocument.fromJson(vector("key.json")).publicKey(), Ed25519Keys.raw(pair.getPublic()));
    Signature signer = Signature.getInstance("Ed25519");
    signer.initSign(pair.getPrivate());
    signer.update(vector("signing-input.txt"));
    assertArrayEquals(IntegrityManifestCodec.decode(vector("manifest.json")).signatureBytes(), signer.sign());
  }

  @Test
  void encodingRoundTrips() {
    IntegrityManifest manifest = IntegrityManifestCodec.decode(vector("manifest.json"));
    assertEquals(manifest, IntegrityManifestCodec.decode(IntegrityManifestCodec.encode(manifest)));
  }
}
