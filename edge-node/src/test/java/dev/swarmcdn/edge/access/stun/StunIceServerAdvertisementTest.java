package dev.swarmcdn.edge.access.stun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.swarmcdn.protocol.registry.IceServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The RTCIceServer list the tracker will hand to viewers. */
class StunIceServerAdvertisementTest {

  @Test
  void stunOnly() {
    IceServerAdvertisement ad = IceServerAdvertisement.of("edge1.example.net", 3478, List.of());
    assertEquals("[{\"urls\":[\"stun:edge1.example.net:3478\"]}]", ad.toJsonString());
  }

  @Test
  void stunThenTurnWithCredentials() {
    IceServer turn = new IceServer(List.of("turn:relay.example.net:3478?transport=udp",
        "turns:relay.example.net:5349?transport=tcp"), "viewer", "s3cret");
    JsonArray json = new JsonArray(
        IceServerAdvertisement.of("203.0.113.7", 3479, List.of(turn)).toJsonString());

    assertEquals(new JsonObject().put("urls", new JsonArray().add("stun:203.0.113.7:3479")), json.getJsonObject(0));
    assertEquals(new JsonObject()
        .put("urls", new JsonArray().add("turn:relay.example.net:3478?transport=udp")
            .add("turns:relay.example.net:5349?transport=tcp"))
        .put("username", "viewer").put("credential", "s3cret"), json.getJsonObject(1));
    assertEquals(2, json.size());
  }

  @Test
  void turnUdpShortcutAndIpv6Brackets() {
    assertEquals("[{\"urls\":[\"stun:[2001:db8::7]:3478\"]},"
            + "{\"urls\":[\"turn:[2001:db8::9]:3478?transport=udp\"],\"username\":\"u\",\"credential\":\"p\"}]",
        IceServerAdvertisement.of("2001:db8::7", 3478,
            List.of(IceServer.turnUdp("2001:db8::9", 3478, "u", "p"))).toJsonString());
  }

  @Test
  void misconfigurationsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new IceServer(List.of("turn:relay:3478"), null, null),
        "TURN without credentials");
    assertThrows(IllegalArgumentException.class, () -> new IceServer(List.of("http://relay"), null, null));
    assertThrows(IllegalArgumentException.class, () -> new IceServer(List.of(), null, null));
    assertThrows(IllegalArgumentException.class, () -> new IceServer(List.of("stun:a:1"), "u", null));
    assertThrows(IllegalArgumentException.class, () -> IceServerAdvertisement.of("0.0.0.0", 3478, List.of()));
    assertThrows(IllegalArgumentException.class, () -> IceServerAdvertisement.of("edge", 0, List.of()));
    assertThrows(IllegalArgumentException.class, () -> IceServerAdvertisement.of("", 3478, List.of()));
  }

  @Test
  void credentialsStayOutOfToString() {
    IceServer turn = IceServer.turnUdp("relay", 3478, "viewer", "s3cret");
    assertFalse(turn.toString().contains("s3cret"), turn.toString());
    assertFalse(IceServerAdvertisement.of("edge", 3478, List.of(turn)).toString().contains("s3cret"));
  }
}
