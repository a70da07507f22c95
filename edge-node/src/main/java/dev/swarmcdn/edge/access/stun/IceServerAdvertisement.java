package dev.swarmcdn.edge.access.stun;

import dev.swarmcdn.protocol.registry.IceServer;
import dev.swarmcdn.protocol.registry.RegistryJson;
import java.util.ArrayList;
import java.util.List;

/**
 * The ICE servers an edge offers its viewers: its own STUN endpoint first, then any TURN relays
 * the operator configured. Registered with the tracker, which hands it out with {@code /route}; a
 * browser passes it unchanged to {@code new RTCPeerConnection({iceServers})}.
 */
public record IceServerAdvertisement(List<IceServer> servers) {

  public IceServerAdvertisement {
    servers = List.copyOf(servers);
  }

  /**
   * @param publicHost the edge's host or address as viewers reach it (not a bind address like 0.0.0.0)
   * @param stunPort   the STUN server's UDP port
   * @param turn       operator-configured TURN servers, possibly none
   */
  public static IceServerAdvertisement of(String publicHost, int stunPort, List<IceServer> turn) {
    if ("0.0.0.0".equals(publicHost) || "::".equals(publicHost)) {
      throw new IllegalArgumentException("advertise the edge's public host, not the wildcard address");
    }
    List<IceServer> servers = new ArrayList<>();
    servers.add(IceServer.stun(publicHost, stunPort));
    servers.addAll(turn);
    return new IceServerAdvertisement(servers);
  }

  /** e.g. {@code [{"urls":["stun:edge1.example:3478"]}]}. */
  public String toJsonString() {
    return RegistryJson.iceServersText(servers);
  }
}
