package dev.swarmcdn.edge.access.stun;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One entry of WebRTC's {@code RTCIceServer} list: URLs sharing one set of credentials. Browsers
 * reject a TURN URL without username and credential, so that is refused here, at configuration
 * time, rather than by every viewer at once.
 *
 * @param urls       {@code stun:}, {@code turn:} or {@code turns:} URLs
 * @param username   TURN username; null for STUN
 * @param credential TURN password; null for STUN
 */
public record IceServer(List<String> urls, String username, String credential) {

  public IceServer {
    urls = List.copyOf(urls);
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("an ICE server needs at least one URL");
    }
    boolean anyTurn = false;
    for (String url : urls) {
      if (url.startsWith("turn:") || url.startsWith("turns:")) {
        anyTurn = true;
      } else if (!url.startsWith("stun:") && !url.startsWith("stuns:")) {
        throw new IllegalArgumentException("not a stun:, stuns:, turn: or turns: URL: " + url);
      }
    }
    if ((username == null) != (credential == null)) {
      throw new IllegalArgumentException("give both username and credential, or neither");
    }
    if (anyTurn && username == null) {
      throw new IllegalArgumentException("TURN URLs need a username and credential: " + urls);
    }
  }

  public static IceServer stun(String host, int port) {
    return new IceServer(List.of("stun:" + hostPort(host, port)), null, null);
  }

  /** {@code turn:HOST:PORT?transport=udp} with its credentials. */
  public static IceServer turnUdp(String host, int port, String username, String credential) {
    return new IceServer(List.of("turn:" + hostPort(host, port) + "?transport=udp"), username, credential);
  }

  /** URL authority: IPv6 literals go in brackets (RFC 7064), so their colons are not the port's. */
  static String hostPort(String host, int port) {
    if (host == null || host.isBlank() || host.contains("/") || host.contains("?")) {
      throw new IllegalArgumentException("not a host: " + host);
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    boolean ipv6 = host.contains(":") && !host.startsWith("[");
    return (ipv6 ? "[" + host + "]" : host) + ":" + port;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("urls", new JsonArray(urls));
    if (username != null) {
      json.put("username", username).put("credential", credential);
    }
    return json;
  }

  /** Keeps the TURN password out of logs. */
  @Override
  public String toString() {
    return "IceServer" + urls + (username == null ? "" : " as " + username);
  }
}
