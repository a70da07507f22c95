package dev.swarmcdn.protocol.integrity;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One file an integrity manifest vouches for: an init segment or a media segment.
 *
 * @param uri    the URI exactly as the playlist writes it (relative to the playlist)
 * @param size   length of the file in bytes
 * @param sha256 SHA-256 of the whole file, 64 lowercase hex digits
 */
public record ManifestEntry(String uri, long size, String sha256) {

  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  public ManifestEntry {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(sha256, "sha256");
    if (!ManifestContent.isPrintableToken(uri)) {
      // The signing input separates fields with spaces and lines with '\n'.
      throw new IllegalArgumentException("uri must be 1-2048 printable ASCII characters without spaces: " + uri);
    }
    if (size < 0) {
      throw new IllegalArgumentException("size must not be negative: " + size);
    }
    if (!SHA256_HEX.matcher(sha256).matches()) {
      throw new IllegalArgumentException("sha256 must be 64 lowercase hex digits: " + sha256);
    }
  }
}
