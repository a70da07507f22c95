package dev.swarmcdn.protocol.integrity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.swarmcdn.protocol.json.StrictJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON form of {@link IntegrityManifest}, documented in docs/PROTOCOL.md. The JSON is only a carrier:
 * the signature covers {@link ManifestContent#signingInput()}, so field order and whitespace do not
 * matter. Unknown fields are ignored so that version 1 can grow optional fields.
 */
public final class IntegrityManifestCodec {

  private static final ObjectMapper JSON = new ObjectMapper();

  private IntegrityManifestCodec() {}

  public static byte[] encode(IntegrityManifest manifest) {
    ManifestContent content = manifest.content();
    ObjectNode root = JSON.createObjectNode();
    root.put("version", IntegrityManifest.FORMAT_VERSION);
    root.put("path", content.path());
    root.put("mediaSequence", content.mediaSequence());
    root.set("inits", entries(content.inits()));
    root.set("segments", entries(content.segments()));
    root.put("keyId", manifest.keyId());
    root.put("signature", manifest.signature());
    try {
      return JSON.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings and numbers always serializes", e);
    }
  }

  private static ArrayNode entries(List<ManifestEntry> entries) {
    ArrayNode array = JSON.createArrayNode();
    for (ManifestEntry entry : entries) {
      array.addObject()
          .put("uri", entry.uri())
          .put("size", entry.size())
          .put("sha256", entry.sha256());
    }
    return array;
  }

  /**
   * @throws IllegalArgumentException if the bytes are not a well-formed version 1 manifest
   */
  public static IntegrityManifest decode(byte[] json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("manifest is not JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("manifest must be a JSON object");
    }
    long version = integer(root, "version");
    if (version != IntegrityManifest.FORMAT_VERSION) {
      throw new IllegalArgumentException("unsupported manifest version " + version);
    }
    ManifestContent content = new ManifestContent(text(root, "path"), integer(root, "mediaSequence"),
        entries(root, "inits"), entries(root, "segments"));
    return new IntegrityManifest(content, text(root, "keyId"), text(root, "signature"));
  }

  private static List<ManifestEntry> entries(JsonNode root, String field) {
    JsonNode array = root.get(field);
    if (array == null || !array.isArray()) {
      throw new IllegalArgumentException(field + " must be an array");
    }
    List<ManifestEntry> entries = new ArrayList<>(array.size());
    for (JsonNode entry : array) {
      if (!entry.isObject()) {
        throw new IllegalArgumentException(field + " must hold objects");
      }
      entries.add(new ManifestEntry(text(entry, "uri"), integer(entry, "size"), text(entry, "sha256")));
    }
    return entries;
  }

  static String text(JsonNode node, String field) {
    return StrictJson.text(node, field);
  }

  private static long integer(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
      throw new IllegalArgumentException(field + " must be an integer");
    }
    return value.longValue();
  }
}
