package dev.swarmcdn.peer.rtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import org.junit.jupiter.api.Test;

/** The browser's signal JSON, both ways. */
class SignalJsonTest {
  private static final String CANDIDATE =
      "candidate:1 1 udp 2122260223 172.17.0.2 40000 typ host generation 0 network-id 1";

  @Test
  void writesDescriptionsAndCandidatesAsTheBrowserDoes() {
    assertEquals("{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\"}",
        SignalJson.description(new RTCSessionDescription(RTCSdpType.OFFER, "v=0\r\n")));
    assertEquals("{\"type\":\"answer\",\"sdp\":\"v=0\\r\\n\"}",
        SignalJson.description(new RTCSessionDescription(RTCSdpType.ANSWER, "v=0\r\n")));
    assertEquals("{\"candidate\":\"" + CANDIDATE + "\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}",
        SignalJson.candidate(new RTCIceCandidate("0", 0, CANDIDATE)));
  }

  @Test
  void readsWhatItWrites() {
    RTCSessionDescription answer = SignalJson.parseDescription(
        SignalJson.description(new RTCSessionDescription(RTCSdpType.ANSWER, "v=0\r\n")));
    assertEquals(RTCSdpType.ANSWER, answer.sdpType);
    assertEquals("v=0\r\n", answer.sdp);
    RTCIceCandidate candidate =
        SignalJson.parseCandidate(SignalJson.candidate(new RTCIceCandidate("0", 0, CANDIDATE))).orElseThrow();
    assertEquals(CANDIDATE, candidate.sdp);
    assertEquals("0", candidate.sdpMid);
    assertEquals(0, candidate.sdpMLineIndex);
  }

  @Test
  void toleratesWhatABrowserToleratesInACandidate() {
    RTCIceCandidate chrome = SignalJson.parseCandidate("{\"candidate\":\"" + CANDIDATE
        + "\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0,\"usernameFragment\":\"a1b2\"}").orElseThrow();
    assertEquals("0", chrome.sdpMid);
    RTCIceCandidate indexOnly =
        SignalJson.parseCandidate("{\"candidate\":\"" + CANDIDATE + "\",\"sdpMLineIndex\":0}").orElseThrow();
    assertEquals("", indexOnly.sdpMid);
    RTCIceCandidate midOnly = SignalJson.parseCandidate(
        "{\"candidate\":\"" + CANDIDATE + "\",\"sdpMid\":\"0\",\"sdpMLineIndex\":null}").orElseThrow();
    assertEquals(0, midOnly.sdpMLineIndex);
  }

  @Test
  void theEndOfCandidatesHasSeveralShapes() {
    assertTrue(SignalJson.parseCandidate(null).isEmpty());
    assertTrue(SignalJson.parseCandidate("null").isEmpty());
    assertTrue(SignalJson.parseCandidate("{\"candidate\":\"\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}").isEmpty());
    assertTrue(SignalJson.parseCandidate("{}").isEmpty());
  }

  @Test
  void refusesWhatABrowserRefuses() {
    for (String json : new String[] {"{", "[]", "42", "\"text\"", "{} {}", "",
        "{\"candidate\":\"" + CANDIDATE + "\"}", "{\"candidate\":7,\"sdpMid\":\"0\"}"}) {
      assertThrows(IllegalArgumentException.class, () -> SignalJson.parseCandidate(json), json);
    }
    for (String json : new String[] {null, "{", "null", "[]", "{\"sdp\":\"v=0\"}",
        "{\"type\":\"pranswer\",\"sdp\":\"v=0\"}", "{\"type\":\"offer\",\"sdp\":1}"}) {
      assertThrows(IllegalArgumentException.class, () -> SignalJson.parseDescription(json), json);
    }
  }
}
