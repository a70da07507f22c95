package dev.swarmcdn.tracker.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Registry bodies come from edges over HTTP (behind the registry's bearer secret, but a buggy or
 * compromised edge is still outside). {@link EdgeJson#registration} and {@link EdgeJson#load} return
 * a value or throw {@link IllegalArgumentException}, whose message goes back to the edge; a value
 * read, written back as the same JSON, reads the same.
 */
class EdgeJsonFuzzTest {

  @FuzzTest
  void registration(byte[] body) {
    EdgeRegistration registration;
    try {
      registration = EdgeJson.registration(Buffer.buffer(body));
    } catch (IllegalArgumentException refused) {
      return;
    }
    JsonObject again = new JsonObject()
        .put("id", registration.id())
        .put("url", registration.url())
        .put("capacity", registration.capacity())
        .put("iceServers", IceServer.toJson(registration.iceServers()));
    assertEquals(registration, EdgeJson.registration(again.toBuffer()));
  }

  @FuzzTest
  void load(byte[] body) {
    EdgeLoad load;
    try {
      load = EdgeJson.load(Buffer.buffer(body));
    } catch (IllegalArgumentException refused) {
      return;
    }
    JsonObject again = new JsonObject()
        .put("connections", load.connections())
        .put("egressBytesPerSecond", load.egressBytesPerSecond())
        .put("hitRatio", load.hitRatio());
    assertEquals(load, EdgeJson.load(again.toBuffer()));
  }
}
