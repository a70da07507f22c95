package dev.swarmcdn.origin.integrity;

import dev.swarmcdn.kit.http.Representation;
import io.vertx.core.buffer.Buffer;

/**
 * Representations of bytes the origin generates (key document, manifests, live playlists): held in
 * memory, with a strong ETag derived from the content so that equal bytes always get equal tags,
 * across restarts too.
 */
public final class GeneratedRepresentation {

  private GeneratedRepresentation() {}

  public static Representation of(byte[] body, String contentType, long lastModified,
      String cacheControl) {
    return Representation.ofBytes(Buffer.buffer(body), lastModified, strongEtag(Sha256.hex(body)),
        contentType, cacheControl);
  }

  /** 128 bits of the content's SHA-256 are plenty to tell versions apart. */
  public static String strongEtag(String sha256Hex) {
    return "\"" + sha256Hex.substring(0, 32) + "\"";
  }
}
