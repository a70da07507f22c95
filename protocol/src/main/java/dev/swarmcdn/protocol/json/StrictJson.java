package dev.swarmcdn.protocol.json;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/**
 * How our JSON formats are read: one value, nothing after it, no key twice (two values for one key
 * would let two implementations read two different messages), required fields of their JSON type.
 * Refusals are {@link IllegalArgumentException}s whose message names the field.
 */
public final class StrictJson {

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private StrictJson() {}

  /** A mapper of its own that reads by these rules (and writes as any other). */
  public static ObjectMapper mapper() {
    return MAPPER.copy();
  }

  /** {@code bytes} as one JSON object. */
  public static JsonNode object(byte[] bytes) {
    JsonNode node;
    try {
      node = MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw new IllegalArgumentException("not one JSON object without duplicate keys");
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    return node;
  }

  /** The string {@code field} of {@code node}. */
  public static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException(field + " must be a string");
    }
    return value.textValue();
  }
}
