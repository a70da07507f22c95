package dev.swarmcdn.tracker.registry;

import static dev.swarmcdn.protocol.json.StrictJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.swarmcdn.protocol.json.StrictJson;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON of the edge registry API (docs/PROTOCOL.md, "Edge registry and routing API"). Bodies are
 * read strictly: one object, no key twice, fields of their JSON type; unknown fields are ignored so
 * that edges may grow new ones. Every refusal is an {@link IllegalArgumentException} whose message
 * goes back to the edge.
 */
public final class EdgeJson {

  private EdgeJson() {}

  /** {@code {"id": ..., "url": ..., "capacity": ..., "iceServers": [...]}}, iceServers optional. */
  public static EdgeRegistration registration(Buffer body) {
    JsonNode node = object(body);
    return new EdgeRegistration(text(node, "id"), text(node, "url"), integer(node, "capacity"),
        iceServers(node.get("iceServers")));
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
        .put("iceServers", IceServer.toJson(entry.registration().iceServers()))
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

  /**
   * An RTCIceServer list: each entry's {@code urls} a string or an array of strings, its
   * {@code username} and {@code credential} strings. Absent: none. Other fields of an entry are
   * not kept, so only what {@link IceServer} checked reaches viewers.
   */
  private static List<IceServer> iceServers(JsonNode servers) {
    if (servers == null) {
      return List.of();
    }
    if (!servers.isArray() || servers.size() > IceServer.MAX_SERVERS) {
      throw new IllegalArgumentException("iceServers must be an array of at most " + IceServer.MAX_SERVERS
          + " servers");
    }
    List<IceServer> parsed = new ArrayList<>(servers.size());
    for (JsonNode server : servers) {
      if (!server.isObject()) {
        throw new IllegalArgumentException("iceServers must hold objects");
      }
      parsed.add(new IceServer(urls(server.get("urls")), optionalText(server, "username"),
          optionalText(server, "credential")));
    }
    return parsed;
  }

  private static List<String> urls(JsonNode urls) {
    if (urls != null && urls.isTextual()) {
      return List.of(urls.textValue());
    }
    if (urls == null || !urls.isArray() || urls.size() > IceServer.MAX_URLS) {
      throw new IllegalArgumentException("an ICE server's urls must be a string or an array of at most "
          + IceServer.MAX_URLS + " strings");
    }
    List<String> parsed = new ArrayList<>(urls.size());
    for (JsonNode url : urls) {
      if (!url.isTextual()) {
        throw new IllegalArgumentException("an ICE server's urls must be strings");
      }
      parsed.add(url.textValue());
    }
    return parsed;
  }

  /** Absent is null; anything but a string is refused (null too: the browser would refuse it). */
  private static String optionalText(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null) {
      return null;
    }
    if (!value.isTextual()) {
      throw new IllegalArgumentException("an ICE server's " + field + " must be a string");
    }
    return value.textValue();
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
