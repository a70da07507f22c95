package dev.swarmcdn.edge;

import dev.swarmcdn.edge.access.stun.IceServerAdvertisement;
import dev.swarmcdn.protocol.registry.IceServer;
import java.util.List;

/**
 * What the edge offers viewers for NAT traversal: its own STUN endpoint and, when the operator runs
 * one, TURN servers.
 *
 * @param stunPort           UDP port of the STUN endpoint; 0 any free port, -1 none
 * @param maxDatagramBytes   larger datagrams are dropped unread
 * @param publicHost         host viewers reach the edge by; null: the bind host
 * @param turnUrls           {@code turn:} / {@code turns:} URLs, empty for none
 */
public record IceConfig(int stunPort, int maxDatagramBytes, String publicHost, List<String> turnUrls,
    String turnUsername, String turnCredential) {

  public static final IceConfig NONE = new IceConfig(-1, 1500, null, List.of(), null, null);

  public IceConfig {
    turnUrls = List.copyOf(turnUrls);
    if (stunPort < -1 || stunPort > 65535) {
      throw new IllegalArgumentException("STUN port out of range: " + stunPort);
    }
  }

  public boolean stunEnabled() {
    return stunPort >= 0;
  }

  /** The RTCIceServer list to hand viewers, once the STUN endpoint is bound to {@code boundPort}. */
  IceServerAdvertisement advertisement(String bindHost, int boundPort) {
    String host = publicHost != null ? publicHost
        : "0.0.0.0".equals(bindHost) || "::".equals(bindHost) ? "127.0.0.1" : bindHost;
    List<IceServer> turn = turnUrls.isEmpty() ? List.of()
        : List.of(new IceServer(turnUrls, turnUsername, turnCredential));
    return IceServerAdvertisement.of(host, boundPort, turn);
  }
}
