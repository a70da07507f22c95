package dev.swarmcdn.protocol.integrity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Integrity manifests and the origin's key document reach a peer over HTTP from an edge, which may
 * be anyone's. {@link IntegrityManifestCodec#decode} and {@link PublicKeyDocument#fromJson} either
 * return a value or throw {@link IllegalArgumentException}; what they return encodes to bytes that
 * decode to the same value. {@link ManifestVerifier#verify} either trusts a manifest or throws
 * {@link ManifestRejectedException}, and a trusted one answers every segment check.
 */
class IntegrityFuzzTest {

  /** The shared vectors' key: the one that signed vectors/integrity/manifest.json. */
  private static final PublicKeyDocument KEY = PublicKeyDocument.fromJson(resource("/vectors/integrity/key.json"));
  private static final ManifestVerifier VERIFIER = ManifestVerifier.forKeyDocument(KEY);
  private static final String VECTOR_PATH = "/live/demo/360p/index.m3u8";

  @FuzzTest
  void manifest(byte[] json) {
    IntegrityManifest manifest;
    try {
      manifest = IntegrityManifestCodec.decode(json);
    } catch (IllegalArgumentException refused) {
      return;
    }
    assertEquals(manifest, IntegrityManifestCodec.decode(IntegrityManifestCodec.encode(manifest)));
    assertNotNull(manifest.content().signingInput());
  }

  @FuzzTest
  void verify(byte[] json) {
    IntegrityManifest manifest;
    try {
      manifest = IntegrityManifestCodec.decode(json);
    } catch (IllegalArgumentException refused) {
      return;
    }
    for (String path : new String[] {manifest.content().path(), VECTOR_PATH}) {
      VerifiedManifest verified;
      try {
        verified = VERIFIER.verify(manifest, path);
      } catch (ManifestRejectedException rejected) {
        continue;
      }
      for (ManifestEntry entry : manifest.content().segments()) {
        assertNotNull(verified.verifySegment(entry.uri(), new byte[(int) Math.min(entry.size(), 64)]));
      }
      assertNotNull(verified.verifySegment("unlisted.m4s", json));
    }
  }

  @FuzzTest
  void keyDocument(byte[] json) {
    PublicKeyDocument document;
    try {
      document = PublicKeyDocument.fromJson(json);
    } catch (IllegalArgumentException refused) {
      return;
    }
    assertEquals(document, PublicKeyDocument.fromJson(document.toJson()));
    try {
      assertEquals(document.keyId(), ManifestVerifier.forKeyDocument(document).keyId());
    } catch (IllegalArgumentException notAKey) {
      // 32 bytes that are no point of the curve: refused as the document said it would be.
    }
  }

  private static byte[] resource(String name) {
    try (InputStream in = IntegrityFuzzTest.class.getResourceAsStream(name)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
