package dev.swarmcdn.protocol.registry;

import java.io.Serializable;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One entry of WebRTC's {@code RTCIceServer} list: URLs sharing one set of credentials. The one rule
 * of every part: what an edge offers its viewers and registers, what the tracker keeps and hands out
 * with {@code /route}, what a Java peer is given. Checked strictly because browsers pass it
 * unchanged to {@code new RTCPeerConnection({iceServers})}, which throws on a bad entry and so would
 * break P2P for every viewer of an edge at once, and because webrtc-java 0.14 crashes the JVM
 * (SIGSEGV formatting libwebrtc's refusal) instead of throwing on a URL libwebrtc refuses: only URLs
 * of a shape libwebrtc and browsers surely parse get through (RFC 7064/7065 as libwebrtc reads them).
 * JSON: {@link RegistryJson}. Serializable: clustered trackers share it.
 *
 * @param urls        1 to {@value #MAX_URLS} URLs of at most {@value #MAX_TEXT_LENGTH} characters:
 *                    {@code stun:}, {@code stuns:}, {@code turn:} or {@code turns:}, a host name,
 *                    IPv4 address or bracketed IPv6 address, an optional port, and for TURN an
 *                    optional {@code ?transport=udp|tcp}
 * @param username    TURN username, or null; required with a TURN URL (browsers refuse TURN
 *                    without one)
 * @param credential  TURN password, or null; given exactly when the username is
 */
public record IceServer(List<String> urls, String username, String credential) implements Serializable {

  /** Servers one edge may offer. */
  public static final int MAX_SERVERS = 8;
  public static final int MAX_URLS = 4;
  public static final int MAX_TEXT_LENGTH = 256;
  private static final Pattern URL = Pattern.compile(
      "(stuns?|turns?):(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)(:(\\d{1,5}))?"
          + "(\\?transport=(udp|tcp))?");

  public IceServer {
    if (urls == null || urls.isEmpty() || urls.size() > MAX_URLS) {
      throw new IllegalArgumentException("an ICE server needs 1 to " + MAX_URLS + " urls");
    }
    urls = List.copyOf(urls);
    boolean turn = false;
    for (String url : urls) {
      turn |= checkUrl(url);
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

  /** @return whether {@code url} is a TURN server's */
  private static boolean checkUrl(String url) {
    printable("an ICE server url", url);
    Matcher match = URL.matcher(url);
    if (!match.matches()) {
      throw new IllegalArgumentException("an ICE server url must be stun:, stuns:, turn: or turns:, a host and "
          + "an optional port: " + url);
    }
    if (match.group(5) != null) {
      int port = Integer.parseInt(match.group(5));
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("an ICE server url has its port out of range: " + url);
      }
    }
    boolean turn = match.group(1).startsWith("turn");
    if (!turn && match.group(6) != null) {
      throw new IllegalArgumentException("an ICE server url has a transport parameter, which is for TURN only: " + url);
    }
    return turn;
  }

  /** A STUN server at {@code host} and {@code port}. */
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
