package dev.swarmcdn.protocol.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the shared vectors cannot say: Java records, error frames, and encoding details. */
class TrackerCodecTest {

  private static final SwarmId SWARM = new SwarmId("demo", "360p");
  private static final String PEER = "kX3b9sQm1Tq2Vw8Zr4Yp0A";

  @Test
  void everyMessageRoundTrips() throws Exception {
    List<ClientMessage> client = List.of(
        new ClientMessage.Join(SWARM, "http://127.0.0.1:8081", 3, 17L, "a.b.c"),
        new ClientMessage.Join(SWARM, "edge-1", 0, null, null),
        new ClientMessage.Join(SWARM, "edge-1", 2, null, null, List.of(new PeerReport(PEER, ReportReason.INTEGRITY))),
        new ClientMessage.Leave(SWARM),
        new ClientMessage.Signal(PEER, SWARM, SignalKind.ICE, "{\"candidate\":\"c\",\"sdpMLineIndex\":0}"),
        new ClientMessage.Signal(PEER, SWARM, SignalKind.ICE, "null"),
        new ClientMessage.Have(SWARM, 9),
        new ClientMessage.Ping());
    for (ClientMessage message : client) {
      assertEquals(message, TrackerCodec.decodeClient(TrackerCodec.encode(message)));
    }
    List<ServerMessage> server = List.of(
        new ServerMessage.Welcome(PEER, 20_000),
        new ServerMessage.Peers(SWARM, List.of(new PeerInfo(PEER, Locality.NETWORK, null),
            new PeerInfo("other", Locality.EDGE, 5L))),
        new ServerMessage.Signal(PEER, SWARM, SignalKind.OFFER, "{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\"}"),
        new ServerMessage.Pong(),
        new ServerMessage.ErrorFrame(ErrorCode.NOT_JOINED, "join first", "have"),
        new ServerMessage.ErrorFrame(ErrorCode.MALFORMED, "not JSON", null));
    for (ServerMessage message : server) {
      assertEquals(message, TrackerCodec.decodeServer(TrackerCodec.encode(message)));
    }
  }

  @Test
  void versionAndTypeComeFirst() {
    assertTrue(TrackerCodec.encode(new ClientMessage.Leave(SWARM)).startsWith("{\"v\":1,\"type\":\"leave\","));
    assertEquals("{\"v\":1,\"type\":\"pong\"}", TrackerCodec.encode(new ServerMessage.Pong()));
  }

  @Test
  void signalDataIsRelayedAsTheSameJsonValue() throws Exception {
    ClientMessage.Signal signal = (ClientMessage.Signal) TrackerCodec.decodeClient(
        "{\"v\":1,\"type\":\"signal\",\"to\":\"" + PEER + "\",\"swarm\":\"demo\",\"rendition\":\"360p\","
            + "\"kind\":\"offer\",\"data\": { \"sdp\" : \"v=0\\r\\n\", \"n\": [1, true, null] } }");
    assertEquals("{\"sdp\":\"v=0\\r\\n\",\"n\":[1,true,null]}", signal.data());
    String relayed = TrackerCodec.encode(new ServerMessage.Signal("from", signal.swarm(), signal.kind(), signal.data()));
    assertTrue(relayed.endsWith(",\"data\":{\"sdp\":\"v=0\\r\\n\",\"n\":[1,true,null]}}"), relayed);
  }

  @Test
  void aRefusalCarriesItsCodeAndTheFrameType() {
    ProtocolException refused = assertThrows(ProtocolException.class, () -> TrackerCodec.decodeClient(
        "{\"v\":1,\"type\":\"have\",\"swarm\":\"demo\",\"rendition\":\"360p\",\"newest\":-1}"));
    assertEquals(ErrorCode.MALFORMED, refused.code());
    assertEquals("have", refused.ref());
    assertEquals(new ServerMessage.ErrorFrame(ErrorCode.MALFORMED, "newest must be 0 to 2^53-1", "have"),
        refused.toFrame());
  }

  @Test
  void anUnknownTypeIsNotEchoed() {
    ProtocolException refused = assertThrows(ProtocolException.class,
        () -> TrackerCodec.decodeClient("{\"v\":1,\"type\":\"x-very-long-type-name\"}"));
    assertEquals(ErrorCode.UNKNOWN_TYPE, refused.code());
    assertNull(refused.ref());
    assertTrue(!refused.getMessage().contains("x-very"), refused.getMessage());
  }

  @Test
  void recordsRefuseWhatTheTrackerWouldRefuse() {
    assertThrows(IllegalArgumentException.class, () -> new SwarmId("", "360p"));
    assertThrows(IllegalArgumentException.class, () -> new SwarmId("demo", "360 p"));
    assertThrows(IllegalArgumentException.class, () -> new ClientMessage.Join(SWARM, "edge", 1025, null, null));
    assertThrows(IllegalArgumentException.class, () -> new ClientMessage.Join(SWARM, "edge", 1, -1L, null));
    assertThrows(IllegalArgumentException.class, () -> new ClientMessage.Join(SWARM, "edge", 1, null, null,
        Collections.nCopies(17, new PeerReport(PEER, ReportReason.INTEGRITY))));
    assertThrows(IllegalArgumentException.class, () -> new PeerReport("not base64url!", ReportReason.INTEGRITY));
    assertThrows(IllegalArgumentException.class, () -> new ClientMessage.Signal("a/b", SWARM, SignalKind.ICE, "null"));
    assertThrows(IllegalArgumentException.class, () -> new ClientMessage.Have(SWARM, 1L << 53));
    assertThrows(IllegalArgumentException.class, () -> new ServerMessage.Welcome(PEER, 0));
  }

  @Test
  void wireNamesAreLowerCase() {
    assertEquals("rate_limited", ErrorCode.RATE_LIMITED.wireName());
    assertEquals(ErrorCode.UNSUPPORTED_VERSION, ErrorCode.fromWire("unsupported_version"));
    assertEquals(SignalKind.ICE, SignalKind.fromWire("ice"));
    assertEquals(Locality.NETWORK, Locality.fromWire("network"));
  }
}
