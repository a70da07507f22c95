package dev.swarmcdn.tracker.registry;

import static dev.swarmcdn.protocol.json.StrictJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.swarmcdn.protocol.json.StrictJson;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The JSON of the edge registry API (docs/PROTOCOL.md, "Edge registry and routing API"). Bodies are
 * read strictly: one object, no key twice, fields of their JSON type; unknown fields are ignored so
 * that edges may grow new ones. Every refusal is an {@link IllegalArgumentException} whose message
 * goes back to the edge.
 */
public final class EdgeJson {

  private EdgeJson() {}

  /** {@code {"id": ..., "url": ..., "capacity": ...}} */
  public static EdgeRegistration registration(Buffer body) {
    JsonNode node = object(body);
    return new EdgeRegistration(text(node, "id"), text(node, "url"), integer(node, "capacity"));
  }

  /** {@code {"connections": ..., "egressBytesPerSecond": ..., "hitRatio": ...}} */
  public static EdgeLoad load(Buffer body) {
    JsonNode node = object(body);
    return new EdgeLoad(integer(node, "connections"), number(node, "egressBytesPerSecond"),
        number(node, "hitRatio"));
  }

  public static JsonObject entry(EdgeEntry entry) {
    EdgeLoad load = entry.load();
    return new JsonObject()
        .put("id", entry.id())
        .put("url", entry.url())
        .put("capacity", entry.registration().capacity())
        .put("state", entry.state().wireName())
        .put("connections", load.connections())
        .put("egressBytesPerSecond", load.egressBytesPerSecond())
        .put("hitRatio", load.hitRatio())
        .put("silentMs", entry.silentMillis());
  }

  /** The edges in rotation as {@code [{"id": ..., "url": ...}]}: what an edge needs for owner routing. */
  public static JsonArray members(List<EdgeEntry> healthy) {
    JsonArray members = new JsonArray();
    healthy.forEach(entry -> members.add(new JsonObject().put("id", entry.id()).put("url", entry.url())));
    return members;
  }

  private static JsonNode object(Buffer body) {
    return StrictJson.object(body == null ? new byte[0] : body.getBytes());
  }

  /** An integral number, also written as 4.0: JavaScript cannot tell them apart. */
  private static long integer(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isNumber() || !value.canConvertToExactIntegral() || !value.canConvertToLong()) {
      throw new IllegalArgumentException(field + " must be an integer");
    }
    return value.asLong();
  }

  private static double number(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isNumber()) {
      throw new IllegalArgumentException(field + " must be a number");
    }
    return value.asDouble();
  }
}
