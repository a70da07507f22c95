package dev.swarmcdn.tracker.registry;

import dev.swarmcdn.protocol.registry.EdgeLoad;
import dev.swarmcdn.protocol.registry.EdgeMember;
import dev.swarmcdn.protocol.registry.EdgeRegistration;
import dev.swarmcdn.protocol.registry.RegistryAnswer;
import dev.swarmcdn.protocol.registry.RegistryJson;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The registry API's bodies as the tracker reads and writes them: the contract's own JSON
 * ({@link RegistryJson}, shared with the edges), plus the listing of {@code GET /edges}, which only
 * operators read. Every refusal is an {@link IllegalArgumentException} whose message goes back to
 * the edge.
 */
public final class EdgeJson {

  private EdgeJson() {}

  public static EdgeRegistration registration(Buffer body) {
    return RegistryJson.readRegistration(bytes(body));
  }

  public static EdgeLoad load(Buffer body) {
    return RegistryJson.readLoad(bytes(body));
  }

  /** One edge of {@code GET /edges}: as registered, its state and its last reported load. */
  public static JsonObject entry(EdgeEntry entry) {
    EdgeLoad load = entry.load();
    return new JsonObject()
        .put("id", entry.id())
        .put("url", entry.url())
        .put("capacity", entry.registration().capacity())
        .put("iceServers", new JsonArray(RegistryJson.iceServers(entry.registration().iceServers())))
        .put("state", entry.state().wireName())
        .put("connections", load.connections())
        .put("egressBytesPerSecond", load.egressBytesPerSecond())
        .put("hitRatio", load.hitRatio())
        .put("silentMs", entry.silentMillis());
  }

  /** The answer to a registration or heartbeat: the contract's, with the edge as registered. */
  public static JsonObject answer(EdgeEntry entry, long expiryMillis, List<EdgeEntry> healthy) {
    List<EdgeMember> members = healthy.stream().map(edge -> new EdgeMember(edge.id(), edge.url())).toList();
    return new JsonObject(RegistryJson.answer(new RegistryAnswer(expiryMillis, members)))
        .put("edge", entry(entry));
  }

  private static byte[] bytes(Buffer body) {
    return body == null ? new byte[0] : body.getBytes();
  }
}
