package dev.swarmcdn.kit.http;

import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * What a server is about to send for a GET: the validators, headers and body of one selected
 * representation (RFC 9110 section 3.2). The body is either a file on disk, sent zero-copy, or bytes
 * already in memory; never both. Immutable.
 *
 * @param etag          strong entity tag with its quotes, e.g. {@code "\"5f3a-1b\""}; null if none
 * @param lastModified  epoch milliseconds, or -1 when unknown
 * @param length        body length in bytes
 * @param contentType   media type to send
 * @param cacheControl  Cache-Control value, or null to send none
 */
public record Representation(
    String etag,
    long lastModified,
    long length,
    String contentType,
    String cacheControl,
    Path file,
    Buffer bytes) {

  public Representation {
    Objects.requireNonNull(contentType, "contentType");
    if ((file == null) == (bytes == null)) {
      throw new IllegalArgumentException("exactly one of file and bytes must be given");
    }
    if (bytes != null && bytes.length() != length) {
      throw new IllegalArgumentException("length " + length + " != bytes " + bytes.length());
    }
  }

  public static Representation ofFile(Path file, long length, long lastModified, String etag,
      String contentType, String cacheControl) {
    return new Representation(etag, lastModified, length, contentType, cacheControl, file, null);
  }

  /** A file with validators from its attributes (see {@link FileValidators}). */
  public static Representation ofFile(Path file, BasicFileAttributes attributes, String contentType,
      String cacheControl) {
    return ofFile(file, attributes.size(), FileValidators.lastModifiedMillis(attributes),
        FileValidators.strongEtag(attributes), contentType, cacheControl);
  }

  public static Representation ofBytes(Buffer bytes, long lastModified, String etag,
      String contentType, String cacheControl) {
    return new Representation(etag, lastModified, bytes.length(), contentType, cacheControl, null, bytes);
  }
}
