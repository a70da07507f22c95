package dev.swarmcdn.protocol.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.swarmcdn.protocol.json.StrictJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON of the edge registry API between edges and the tracker, and of the ICE servers
 * {@code /route} hands viewers (docs/PROTOCOL.md, "Edge registry and routing API"; shared test
 * vectors in protocol/src/test/resources/vectors/registry). Both sides write and read through here,
 * so what one writes the other reads. Bodies are read strictly ({@link StrictJson}: one object, no
 * key twice, fields of their JSON type); unknown fields are ignored so that either side may grow
 * new ones. Every refusal is an {@link IllegalArgumentException} whose message names the field.
 *
 * <p>Values to embed in a larger answer come as maps and lists of JSON values, which Jackson and
 * Vert.x's {@code JsonObject} both take as they are.
 */
public final class RegistryJson {

  private static final ObjectMapper MAPPER = StrictJson.mapper();

  private RegistryJson() {}

  /** {@code {"id": ..., "url": ..., "capacity": ..., "iceServers": [...]}}: what an edge registers. */
  public static String registration(EdgeRegistration registration) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", registration.id());
    json.put("url", registration.url());
    json.put("capacity", registration.capacity());
    json.put("iceServers", iceServers(registration.iceServers()));
    return write(json);
  }

  /** Reads {@link #registration(EdgeRegistration)}; {@code iceServers} may be absent (none). */
  public static EdgeRegistration readRegistration(byte[] body) {
    JsonNode node = StrictJson.object(body);
    return new EdgeRegistration(StrictJson.text(node, "id"), StrictJson.text(node, "url"),
        integer(node, "capacity"), readIceServers(node.get("iceServers")));
  }

  /** {@code {"connections": ..., "egressBytesPerSecond": ..., "hitRatio": ...}}: a heartbeat. */
  public static String load(EdgeLoad load) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("connections", load.connections());
    json.put("egressBytesPerSecond", load.egressBytesPerSecond());
    json.put("hitRatio", load.hitRatio());
    return write(json);
  }

  public static EdgeLoad readLoad(byte[] body) {
    JsonNode node = StrictJson.object(body);
    return new EdgeLoad(integer(node, "connections"), number(node, "egressBytesPerSecond"),
        number(node, "hitRatio"));
  }

  /** {@code {"expiryMs": ..., "edges": [{"id": ..., "url": ...}]}}, to which the tracker adds {@code edge}. */
  public static Map<String, Object> answer(RegistryAnswer answer) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("expiryMs", answer.expiryMs());
    json.put("edges", members(answer.edges()));
    return json;
  }

  public static RegistryAnswer readAnswer(byte[] body) {
    JsonNode node = StrictJson.object(body);
    JsonNode edges = node.get("edges");
    if (edges == null || !edges.isArray()) {
      throw new IllegalArgumentException("edges must be an array");
    }
    List<EdgeMember> members = new ArrayList<>(edges.size());
    for (JsonNode edge : edges) {
      if (!edge.isObject()) {
        throw new IllegalArgumentException("edges must hold objects");
      }
      members.add(new EdgeMember(StrictJson.text(edge, "id"), StrictJson.text(edge, "url")));
    }
    return new RegistryAnswer(integer(node, "expiryMs"), members);
  }

  /** {@code [{"id": ..., "url": ...}]}. */
  public static List<Object> members(List<EdgeMember> members) {
    List<Object> json = new ArrayList<>(members.size());
    for (EdgeMember member : members) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("id", member.id());
      one.put("url", member.url());
      json.add(one);
    }
    return json;
  }

  /** An {@code RTCIceServer} list: {@code urls} always an array, credentials only where given. */
  public static List<Object> iceServers(List<IceServer> servers) {
    List<Object> json = new ArrayList<>(servers.size());
    for (IceServer server : servers) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("urls", server.urls());
      if (server.username() != null) {
        one.put("username", server.username());
        one.put("credential", server.credential());
      }
      json.add(one);
    }
    return json;
  }

  /** {@link #iceServers(List)} as text, e.g. {@code [{"urls":["stun:edge1.example:3478"]}]}. */
  public static String iceServersText(List<IceServer> servers) {
    return write(iceServers(servers));
  }

  /**
   * An {@code RTCIceServer} list: each entry's {@code urls} a string or an array of strings, its
   * {@code username} and {@code credential} strings; {@code null} (absent) is none. Other fields of
   * an entry are not kept, so only what {@link IceServer} checked reaches viewers.
   */
  public static List<IceServer> readIceServers(JsonNode servers) {
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

  /** {@link #readIceServers(JsonNode)} of a JSON text. */
  public static List<IceServer> readIceServers(String text) {
    try {
      return readIceServers(MAPPER.readTree(text));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("iceServers is not JSON: " + e.getOriginalMessage(), e);
    }
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

  private static String write(Object json) {
    try {
      return MAPPER.writeValueAsString(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("maps of JSON values always write", e);
    }
  }
}
