package dev.swarmcdn.tracker.registry;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.Serializable;
import java.util.List;

/**
 * One entry of the {@code RTCIceServer} list an edge offers its viewers, as the tracker keeps it and
 * hands it out with {@code /route}. Checked strictly because viewers pass it unchanged to
 * {@code new RTCPeerConnection({iceServers})}, which throws on a bad entry and so would break P2P
 * for every viewer of the edge at once. Serializable: clustered trackers share it with the edge.
 *
 * @param urls        1 to {@value #MAX_URLS} {@code stun:}, {@code stuns:}, {@code turn:} or
 *                    {@code turns:} URLs, each at most {@value #MAX_TEXT_LENGTH} printable ASCII
 *                    characters
 * @param username    TURN username, or null; required with a TURN URL (browsers refuse TURN
 *                    without one)
 * @param credential  TURN password, or null; given exactly when the username is
 */
public record IceServer(List<String> urls, String username, String credential) implements Serializable {

  /** Servers one edge may offer. */
  public static final int MAX_SERVERS = 8;
  public static final int MAX_URLS = 4;
  public static final int MAX_TEXT_LENGTH = 256;
  private static final List<String> SCHEMES = List.of("stun:", "stuns:", "turn:", "turns:");

  public IceServer {
    if (urls == null || urls.isEmpty() || urls.size() > MAX_URLS) {
      throw new IllegalArgumentException("an ICE server needs 1 to " + MAX_URLS + " urls");
    }
    urls = List.copyOf(urls);
    boolean turn = false;
    for (String url : urls) {
      printable("an ICE server url", url);
      String scheme = SCHEMES.stream().filter(url::startsWith).findFirst().orElseThrow(() ->
          new IllegalArgumentException("an ICE server url must start with stun:, stuns:, turn: or turns:"));
      if (url.length() == scheme.length()) {
        throw new IllegalArgumentException("an ICE server url needs a host after " + scheme);
      }
      turn |= scheme.startsWith("turn");
    }
    if (username != null) {
      printable("an ICE server username", username);
    }
    if (credential != null) {
      printable("an ICE server credential", credential);
    }
    if ((username == null) != (credential == null)) {
      throw new IllegalArgumentException("an ICE server has both username and credential, or neither");
    }
    if (turn && username == null) {
      throw new IllegalArgumentException("an ICE server with a turn: or turns: url needs a username and credential");
    }
  }

  /** {@code {"urls": [...]}}, with {@code username} and {@code credential} when it has them. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("urls", new JsonArray(urls));
    if (username != null) {
      json.put("username", username).put("credential", credential);
    }
    return json;
  }

  public static JsonArray toJson(List<IceServer> servers) {
    JsonArray json = new JsonArray();
    servers.forEach(server -> json.add(server.toJson()));
    return json;
  }

  /** Keeps the TURN password out of logs. */
  @Override
  public String toString() {
    return "IceServer" + urls + (username == null ? "" : " as " + username);
  }

  private static void printable(String what, String value) {
    if (value.isEmpty() || value.length() > MAX_TEXT_LENGTH) {
      throw new IllegalArgumentException(what + " must hold 1 to " + MAX_TEXT_LENGTH + " characters");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x21 || c > 0x7E) {
        throw new IllegalArgumentException(what + " must be printable ASCII without spaces");
      }
    }
  }
}
