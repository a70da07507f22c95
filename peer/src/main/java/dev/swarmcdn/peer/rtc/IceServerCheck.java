package dev.swarmcdn.peer.rtc;

import dev.swarmcdn.peer.swarm.IceServer;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Refuses, in Java, every ICE server libwebrtc would refuse. It must: webrtc-java 0.14 formats
 * libwebrtc's refusal of a configuration with a string_view passed to printf's %s and crashes the
 * JVM (SIGSEGV in libc) instead of throwing. So only URLs of a shape libwebrtc surely parses get
 * through (RFC 7064/7065 as libwebrtc reads them): {@code stun:}, {@code stuns:}, {@code turn:} or
 * {@code turns:}, a host name, IPv4 address or bracketed IPv6 address, an optional port, and for
 * TURN an optional {@code ?transport=udp|tcp} and a user name and credential.
 */
final class IceServerCheck {
  private static final Pattern URL = Pattern.compile(
      "(stuns?|turns?):(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)(:(\\d{1,5}))?"
          + "(\\?transport=(udp|tcp))?");

  private IceServerCheck() {}

  /** @throws IllegalArgumentException naming the first server libwebrtc could refuse */
  static void check(List<IceServer> servers) {
    for (IceServer server : servers) {
      for (String url : server.urls()) {
        check(server, url);
      }
    }
  }

  private static void check(IceServer server, String url) {
    Matcher match = URL.matcher(url == null ? "" : url);
    if (!match.matches()) {
      throw new IllegalArgumentException("not a STUN or TURN URL: " + url);
    }
    String scheme = match.group(1);
    if (match.group(5) != null) {
      int port = Integer.parseInt(match.group(5));
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port out of range in " + url);
      }
    }
    boolean turn = scheme.startsWith("turn");
    if (!turn && match.group(6) != null) {
      throw new IllegalArgumentException("a transport parameter is for TURN only: " + url);
    }
    if (turn && (isEmpty(server.username()) || isEmpty(server.credential()))) {
      throw new IllegalArgumentException("a TURN server needs a user name and credential: " + url);
    }
  }

  private static boolean isEmpty(String value) {
    return value == null || value.isEmpty();
  }
}
