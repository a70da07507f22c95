package dev.swarmcdn.kit.http;

import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * One file of the web player, held in memory as it is and gzipped: the bundles are text that
 * compresses to a fifth, and they are the first bytes every viewer waits for. Each form has its own
 * strong entity tag (RFC 9110 section 8.8.3: different content codings are different
 * representations). Immutable.
 */
record PlayerAsset(String contentType, Buffer identity, String identityTag, Buffer gzip, String gzipTag) {

  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "mjs", "text/javascript; charset=utf-8",
      "map", "application/json",
      "css", "text/css; charset=utf-8");

  /** Served to browsers only with a type of the list above: anything else is not the player's. */
  static String typeOf(String name) {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? null : TYPES.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  static PlayerAsset of(String contentType, byte[] bytes) {
    String tag = tag(bytes);
    byte[] gzipped = gzip(bytes);
    // A gzip no smaller than the file (a tiny one) is not worth a second representation.
    return gzipped.length < bytes.length
        ? new PlayerAsset(contentType, Buffer.buffer(bytes), "\"" + tag + "\"", Buffer.buffer(gzipped), "\"" + tag + "-gz\"")
        : new PlayerAsset(contentType, Buffer.buffer(bytes), "\"" + tag + "\"", null, null);
  }

  /** The form for a request's Accept-Encoding. */
  Representation representation(boolean gzipAccepted, String cacheControl) {
    return gzipAccepted && gzip != null
        ? Representation.ofBytes(gzip, -1, gzipTag, contentType, cacheControl)
        : Representation.ofBytes(identity, -1, identityTag, contentType, cacheControl);
  }

  boolean compressed() {
    return gzip != null;
  }

  private static String tag(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 4 + 64);
    try (GZIPOutputStream gzip = new GZIPOutputStream(out) {
      {
        def.setLevel(Deflater.BEST_COMPRESSION);
      }
    }) {
      gzip.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
