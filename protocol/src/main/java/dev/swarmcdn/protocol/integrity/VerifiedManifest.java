package dev.swarmcdn.protocol.integrity;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Manifest content whose signature has been checked; only {@link ManifestVerifier} makes one, so
 * segments can never be checked against an unverified manifest. Immutable.
 */
public final class VerifiedManifest {

  private final ManifestContent content;
  private final Map<String, ManifestEntry> byUri;

  VerifiedManifest(ManifestContent content) {
    this.content = content;
    Map<String, ManifestEntry> index = new HashMap<>();
    content.inits().forEach(entry -> index.put(entry.uri(), entry));
    content.segments().forEach(entry -> index.put(entry.uri(), entry));
    this.byUri = Map.copyOf(index);
  }

  public ManifestContent content() {
    return content;
  }

  /**
   * @param uri   the URI as the playlist writes it
   * @param bytes the whole file as received
   */
  public SegmentVerdict verifySegment(String uri, byte[] bytes) {
    ManifestEntry entry = byUri.get(uri);
    if (entry == null) {
      return SegmentVerdict.UNKNOWN;
    }
    if (entry.size() != bytes.length) {
      return SegmentVerdict.MISMATCH;
    }
    byte[] expected = HexFormat.of().parseHex(entry.sha256());
    return MessageDigest.isEqual(expected, sha256(bytes)) ? SegmentVerdict.MATCHES : SegmentVerdict.MISMATCH;
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
