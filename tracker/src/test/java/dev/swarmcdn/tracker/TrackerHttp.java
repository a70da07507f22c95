package dev.swarmcdn.tracker;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Real HTTP to a tracker's edge registry and /route, as an edge or a player would send it. */
final class TrackerHttp {

  record Reply(int status, String body, HttpHeaders headers) {
    JsonObject json() {
      return new JsonObject(body);
    }

    String error() {
      return json().getString("error");
    }
  }

  private final HttpClient client = HttpClient.newHttpClient();
  private final String base;
  private final String secret;

  /** @param secret the edge secret to send as a bearer token, or null */
  TrackerHttp(String base, String secret) {
    this.base = base;
    this.secret = secret;
  }

  Reply send(String method, String path, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (secret != null) {
      request.header("Authorization", "Bearer " + secret);
    }
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(response.statusCode(), response.body(), response.headers());
  }

  Reply register(String id, long capacity) throws Exception {
    return send("POST", "/edges", registration(id, capacity).encode());
  }

  /** Registers with an RTCIceServer list, as an edge with STUN (and TURN) does. */
  Reply register(String id, long capacity, JsonArray iceServers) throws Exception {
    return send("POST", "/edges", registration(id, capacity).put("iceServers", iceServers).encode());
  }

  private static JsonObject registration(String id, long capacity) {
    return new JsonObject().put("id", id).put("url", "http://" + id + ".example:8081").put("capacity", capacity);
  }

  Reply heartbeat(String id, long connections) throws Exception {
    return send("PUT", "/edges/" + id + "/heartbeat", new JsonObject().put("connections", connections)
        .put("egressBytesPerSecond", 125_000.5).put("hitRatio", 0.75).encode());
  }

  Reply route(String stream) throws Exception {
    return send("GET", "/route?stream=" + stream, null);
  }

  /** The id of the edge /route names for a viewer of {@code stream}. */
  String routedEdge(String stream) throws Exception {
    Reply route = route(stream);
    if (route.status() != 200) {
      throw new AssertionError("route: " + route.status() + " " + route.body());
    }
    return route.json().getString("edgeId");
  }
}
