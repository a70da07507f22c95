package dev.swarmcdn.peer.rtc;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.swarmcdn.peer.swarm.IceServer;
import java.util.List;
import org.junit.jupiter.api.Test;

class IceServerCheckTest {
  @Test
  void letsThroughWhatLibwebrtcParses() {
    for (String url : List.of("stun:stun.l.google.com:19302", "stun:192.0.2.1", "stuns:stun.example.org:5349",
        "stun:[2001:db8::1]:3478")) {
      assertDoesNotThrow(() -> IceServerCheck.check(List.of(IceServer.stun(url))), url);
    }
    for (String url : List.of("turn:turn.example.org:3478?transport=udp", "turns:turn.example.org:443?transport=tcp",
        "turn:192.0.2.1")) {
      assertDoesNotThrow(() -> IceServerCheck.check(List.of(new IceServer(List.of(url), "u", "p"))), url);
    }
  }

  @Test
  void refusesTheRest() {
    for (String url : List.of("", "stun:", "http://stun.example.org", "stun:host:0", "stun:host:70000",
        "stun:host:port", "stun:-host", "stun:ho st", "stun:host?transport=udp", "turn:host?transport=sctp",
        "STUN:host", "stun://host")) {
      assertThrows(IllegalArgumentException.class, () -> IceServerCheck.check(List.of(IceServer.stun(url))), url);
    }
    assertThrows(IllegalArgumentException.class,
        () -> IceServerCheck.check(List.of(new IceServer(List.of("turn:host"), null, null))));
    assertThrows(IllegalArgumentException.class,
        () -> IceServerCheck.check(List.of(new IceServer(List.of("turns:host"), "user", ""))));
  }
}
