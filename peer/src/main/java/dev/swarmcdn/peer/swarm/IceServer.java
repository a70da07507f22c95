package dev.swarmcdn.peer.swarm;

import java.util.List;
import java.util.Objects;

/**
 * One RTCIceServer, as /route hands them out: STUN or TURN URLs, with credentials for TURN.
 *
 * @param urls        {@code stun:}, {@code turn:} or {@code turns:} URLs, at least one
 * @param username    TURN user name, or null
 * @param credential  TURN password, or null
 */
public record IceServer(List<String> urls, String username, String credential) {

  public IceServer {
    urls = List.copyOf(urls);
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("an ICE server needs at least one URL");
    }
  }

  public static IceServer stun(String url) {
    return new IceServer(List.of(Objects.requireNonNull(url)), null, null);
  }
}
