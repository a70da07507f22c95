package dev.swarmcdn.protocol.registry;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Only ICE servers of a shape libwebrtc and browsers surely parse can be made: webrtc-java crashes
 * the JVM on one libwebrtc refuses, and a browser throws in {@code new RTCPeerConnection}.
 */
class IceServerTest {

  @Test
  void letsThroughWhatLibwebrtcParses() {
    for (String url : List.of("stun:stun.l.google.com:19302", "stun:192.0.2.1", "stuns:stun.example.org:5349",
        "stun:[2001:db8::1]:3478")) {
      assertDoesNotThrow(() -> new IceServer(List.of(url), null, null), url);
    }
    for (String url : List.of("turn:turn.example.org:3478?transport=udp", "turns:turn.example.org:443?transport=tcp",
        "turn:192.0.2.1")) {
      assertDoesNotThrow(() -> new IceServer(List.of(url), "u", "p"), url);
    }
  }

  @Test
  void refusesTheRest() {
    for (String url : List.of("", "stun:", "http://stun.example.org", "stun:host:0", "stun:host:70000",
        "stun:host:port", "stun:-host", "stun:ho st", "stun:host?transport=udp", "turn:host?transport=sctp",
        "STUN:host", "stun://host")) {
      assertThrows(IllegalArgumentException.class, () -> new IceServer(List.of(url), "u", "p"), url);
    }
    assertThrows(IllegalArgumentException.class, () -> new IceServer(List.of("turn:host"), null, null));
    assertThrows(IllegalArgumentException.class, () -> new IceServer(List.of("turns:host"), "user", ""));
    assertThrows(IllegalArgumentException.class, () -> new IceServer(List.of(), null, null));
  }

  @Test
  void buildsUrlsFromHostAndPort() {
    assertEquals(List.of("stun:edge1.example.net:3478"), IceServer.stun("edge1.example.net", 3478).urls());
    assertEquals(List.of("stun:[2001:db8::9]:3478"), IceServer.stun("2001:db8::9", 3478).urls());
    assertEquals(List.of("turn:203.0.113.7:3478?transport=udp"), IceServer.turnUdp("203.0.113.7", 3478, "u", "p").urls());
    assertThrows(IllegalArgumentException.class, () -> IceServer.stun("host/path", 3478));
    assertThrows(IllegalArgumentException.class, () -> IceServer.stun("host", 0));
  }

  @Test
  void keepsTheCredentialOutOfItsText() {
    assertEquals("IceServer[turn:relay.example.net] as viewer", new IceServer(List.of("turn:relay.example.net"), "viewer", "secret").toString());
  }
}
